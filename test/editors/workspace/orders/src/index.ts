export default {
  async fetch(request: Request, env: { API: string }): Promise<Response> {
    const order = await fetch(`${env.API}/order`);
    const items = await fetch(`${env.API}/items`);
    return new Response(String(order.status + items.status));
  },
};
