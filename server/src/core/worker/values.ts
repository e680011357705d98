// What names and expressions stand for: functions, bindings, strings and hosts, instances, the
// incoming request. ValueResolver is one object per analysis (`ctx.values`); its parts, one per
// job, are the values*.ts files (valuesCore.ts says which job each has).
import { ObjectValues } from "./valuesObjects";

export { firstAnswer, type ClassRef, type ValueRef } from "./valuesCore";
export { arrayChanged } from "./valuesArguments";

/** What names and expressions stand for: functions, bindings, strings and hosts, the incoming request. */
export class ValueResolver extends ObjectValues {}
