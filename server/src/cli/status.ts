export async function runStatus(
  rest: readonly string[],
  cwd: string,
  out: (s: string) => void,
  err: (s: string) => void,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  void rest;
  void cwd;
  void out;
  void env;
  err("smart-placement: status is not available yet\n");
  return 2;
}
