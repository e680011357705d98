interface Env {
  DB: D1Database;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const team = new URL(request.url).searchParams.get("team") ?? "core";
    const members = await env.DB.prepare("SELECT * FROM members WHERE team = ?").bind(team).all();
    const [open, closed] = await env.DB.batch([
      env.DB.prepare("SELECT count(*) AS n FROM tickets WHERE team = ? AND open = 1").bind(team),
      env.DB.prepare("SELECT count(*) AS n FROM tickets WHERE team = ? AND open = 0").bind(team),
    ]);
    return Response.json({ members: members.results, open: open?.results, closed: closed?.results });
  },
};
