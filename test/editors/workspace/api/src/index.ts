interface Env {
  DB_API: string;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const user = await fetch(`${env.DB_API}/user`);
    const orders = await fetch(`${env.DB_API}/orders`);
    await fetch("https://api.honeycomb.io/1/events/api", { method: "POST" });
    return new Response(String(user.status + orders.status));
  },
};
