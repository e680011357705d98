import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyse } from "./helpers/analyse";

// Sources are parsed without their JSDoc (nothing reads it): documented code analyses as undocumented code does.
const DOCUMENTED = `/**
 * Loads a user.
 * @param {string} id the user's id
 * @returns {Promise<unknown>} the user
 */
async function loadUser(id) {
  /** the response */
  const response = await fetch("https://db.example.com/users/" + id);
  return response.json();
}

/** @type {ExportedHandler} */
export default {
  /**
   * Two round trips, one after the other.
   * @param {Request} request
   */
  async fetch(request) {
    const user = await loadUser("me");
    /** @see https://api.example.com */
    await fetch("https://api.example.com/audit", { method: "POST", body: JSON.stringify(user) });
    return new Response("ok");
  },
};
`;

describe("JSDoc comments", () => {
  it("neither hide nor shift the calls they document (JavaScript, where JSDoc carries the types)", () => {
    const analysis = analyse({ "src/index.js": DOCUMENTED }, { main: "src/index.js" });
    assert.equal(analysis.roundTrips, 2);
    assert.deepEqual(
      analysis.subrequests.map((s) => [s.target, DOCUMENTED.slice(s.span.start, s.span.start + 6)]),
      [
        ["db.example.com", "fetch("],
        ["api.example.com", "fetch("],
      ],
    );
    assert.deepEqual(
      analysis.handlers.map((h) => [h.kind, DOCUMENTED.slice(h.span.start, h.span.start + 11)]),
      [["fetch", "fetch(reque"]],
    );
  });
});
