export default {
  async fetch(): Promise<Response> {
    const products = await fetch("https://catalog.example.com/products");
    return new Response(await products.text());
  },
};
