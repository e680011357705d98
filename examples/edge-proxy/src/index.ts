export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const session = await fetch(`https://origin.example.com/session${url.search}`);
    if (!session.ok) return new Response("unauthorised", { status: 401 });
    return fetch(`https://origin.example.com${url.pathname}`, request);
  },
};
