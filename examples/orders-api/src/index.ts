interface Env {
  DB_API: string;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    const id = url.searchParams.get("id") ?? "1";
    const order = await (await fetch(`${env.DB_API}/orders/${id}`)).json<{ customerId: string }>();
    const customer = await (await fetch(`${env.DB_API}/customers/${order.customerId}`)).json();
    const items = await (await fetch(`${env.DB_API}/orders/${id}/items`)).json();
    ctx.waitUntil(fetch("https://api.honeycomb.io/1/events/orders", { method: "POST", body: JSON.stringify({ id }) }));
    return Response.json({ order, customer, items });
  },
} satisfies ExportedHandler<Env>;
