import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { one } from "./helpers/analyse";
import { predict } from "../../server/src/core/predict/predict";

const predicted = (a: ReturnType<typeof one>) => predict(a, { targeted: false, d1Bindings: [] });
import { SMTP_EXCHANGE, serviceKey } from "../../server/src/core/worker/smtp";

const handler = (body: string): string =>
  `export default { async fetch(request: Request, env: any, ctx: any) {\n${body}\nreturn new Response("ok");\n} };`;
const nodemailer = (options: string, body = ""): string =>
  `import nodemailer from "nodemailer";\n${handler(`const transporter = nodemailer.createTransport(${options});\n${body}await transporter.sendMail({ to: "b@example.com", text: "hi" });`)}`;

describe("SMTP senders", () => {
  it("an SMTP exchange is four sequential round trips: greeting, EHLO, the envelope, the message", () => {
    assert.equal(SMTP_EXCHANGE, 4);
  });

  it("nodemailer at a literal host: the reason names the host and the exchange", () => {
    const a = one(nodemailer(`{ host: "smtp.example.com", port: 465, secure: true }`));
    assert.equal(a.roundTrips, 4);
    assert.equal(a.subrequests.length, 1);
    assert.equal(a.subrequests[0]!.target, "smtp.example.com");
    assert.equal(a.subrequests[0]!.category, "backend");
    assert.equal(a.subrequests[0]!.note, "nodemailer sendMail(): 4 sequential round trips to smtp.example.com (an SMTP exchange)");
    assert.deepEqual(a.unknowns, []);
  });

  it("nodemailer given an SMTP URL (a var): its host", () => {
    const a = one(nodemailer(`env.SMTP_URL`), { vars: { SMTP_URL: "smtps://user:pass@mail.example.net:465" } });
    assert.equal(a.roundTrips, 4);
    assert.equal(a.subrequests[0]!.target, "mail.example.net");
  });

  it("nodemailer with a well-known service: the service's SMTP host, its name matched as nodemailer does", () => {
    assert.equal(serviceKey("Google Mail"), "googlemail");
    assert.equal(serviceKey("someone@GMail.com"), "gmail.com");
    for (const service of ["gmail", "Gmail", "Google Mail"]) {
      const a = one(nodemailer(`{ service: "${service}", auth: { user: "u", pass: env.PASS } }`));
      assert.equal(a.subrequests[0]!.target, "smtp.gmail.com", service);
      assert.equal(a.roundTrips, 4, service);
    }
    const sendgrid = one(nodemailer(`{ service: "SendGrid" }`));
    assert.equal(sendgrid.subrequests[0]!.target, "smtp.sendgrid.net");
  });

  it("nodemailer with a host held in a secret or an unknown service: the SMTP server, host unnamed, still four round trips", () => {
    const secret = one(nodemailer(`{ host: env.SMTP_HOST, port: 587 }`));
    assert.equal(secret.subrequests[0]!.target, "smtp");
    assert.equal(secret.roundTrips, 4);
    const unknownService = one(nodemailer(`{ service: "NoSuchMail" }`));
    assert.equal(unknownService.subrequests[0]!.target, "smtp");
    assert.equal(unknownService.roundTrips, 4);
  });

  it("nodemailer options held in a module constant are read", () => {
    const a = one(
      `import nodemailer from "nodemailer";\nconst SMTP = { host: "smtp.example.org", port: 587 };\n${handler(`const t = nodemailer.createTransport(SMTP);\nawait t.sendMail({ text: "hi" });`)}`,
    );
    assert.equal(a.subrequests[0]!.target, "smtp.example.org");
    assert.equal(a.roundTrips, 4);
  });

  it("nodemailer transports that send nothing (jsonTransport, streamTransport, sendmail): no round trips", () => {
    for (const option of ["jsonTransport: true", "streamTransport: true, buffer: true", "sendmail: true"]) {
      const a = one(nodemailer(`{ ${option} }`));
      assert.equal(a.roundTrips, 0, option);
      assert.deepEqual(a.subrequests, [], option);
      assert.deepEqual(a.unknowns, [], option);
    }
    // `jsonTransport: false` is not a JSON transport: the host is used.
    const off = one(nodemailer(`{ jsonTransport: false, host: "smtp.example.com" }`));
    assert.equal(off.roundTrips, 4);
  });

  it("nodemailer over a transport of another package, or spread options: unknown, counted once, never nothing", () => {
    const plugin = one(
      `import nodemailer from "nodemailer";\nimport mg from "nodemailer-mailgun-transport";\n${handler(`const t = nodemailer.createTransport(mg({ auth: { api_key: env.KEY } }));\nawait t.sendMail({ text: "hi" });`)}`,
    );
    assert.equal(predicted(plugin).roundTrips, 1);
    assert.equal(predicted(plugin).status, "INSUFFICIENT_SUBREQUESTS");
    assert.equal(
      plugin.subrequests[0]!.assumed,
      "awaited calls on a nodemailer transport over mg({ auth: { api_key: env.KEY } }), which the analyser does not know, counted as round trips to its service",
    );
    assert.match(plugin.subrequests[0]!.note ?? "", /^nodemailer over a transport the analyser does not know \(mg\(/);
    const spread = one(nodemailer(`{ ...env.SMTP_OPTIONS }`));
    assert.equal(predicted(spread).roundTrips, 1);
    assert.match(String(spread.subrequests[0]!.assumed), /^awaited calls on a nodemailer transport over \{ \.\.\.env\.SMTP_OPTIONS \}/);
  });

  it("worker-mailer: connect() then send() make the exchange; the static send() makes it in one call", () => {
    const connected = one(
      `import { WorkerMailer } from "worker-mailer";\n${handler(`const mailer = await WorkerMailer.connect({ host: "smtp.example.com", port: 465, secure: true });\nawait mailer.send({ from: "a@example.com", to: "b@example.com", subject: "s", text: "t" });`)}`,
    );
    assert.equal(connected.roundTrips, 4);
    assert.deepEqual(
      connected.subrequests.map((s) => s.note),
      [
        "worker-mailer WorkerMailer.connect(): 2 sequential round trips to smtp.example.com (the SMTP greeting and EHLO)",
        "worker-mailer send(): 2 sequential round trips to smtp.example.com (the SMTP envelope and the message)",
      ],
    );
    const once = one(
      `import { WorkerMailer } from "worker-mailer";\n${handler(`await WorkerMailer.send({ host: "smtp.example.com", port: 587 }, { from: "a@example.com", to: "b@example.com", subject: "s", text: "t" });`)}`,
    );
    assert.equal(once.roundTrips, 4);
    assert.equal(once.subrequests.length, 1);
    assert.equal(
      once.subrequests[0]!.note,
      "worker-mailer WorkerMailer.send(): 4 sequential round trips to smtp.example.com (an SMTP exchange)",
    );
  });

  it("a sendMail() in waitUntil is off the response path", () => {
    const a = one(
      `import nodemailer from "nodemailer";\n${handler(`const t = nodemailer.createTransport({ host: "smtp.example.com" });\nctx.waitUntil(t.sendMail({ text: "hi" }));`)}`,
    );
    assert.equal(a.roundTrips, 0);
  });
});
