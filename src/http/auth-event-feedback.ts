/**
 * The one-click links of threat-protection notification messages ({one-click-link-valid},
 * {one-click-link-invalid}): a GET that gives the user's feedback on the event, as
 * UpdateAuthEventFeedback does with the same token, and answers with a short page.
 */
import type { FastifyInstance } from "fastify";
import { giveUserFeedback } from "../domain/auth-events.js";
import { CognitoError } from "../domain/errors.js";
import type { Services } from "../services.js";

export const FEEDBACK_PATH = "/_cognate/auth-event-feedback";

interface FeedbackQuery {
  userPoolId?: string;
  username?: string;
  eventId?: string;
  feedbackToken?: string;
  feedbackValue?: string;
}

function page(title: string, text: string): string {
  const html = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${html(title)}</title></head><body><h1>${html(title)}</h1><p>${html(text)}</p></body></html>`;
}

export function registerAuthEventFeedback(app: FastifyInstance, services: Services): void {
  app.get<{ Querystring: FeedbackQuery }>(FEEDBACK_PATH, async (req, reply) => {
    const q = req.query;
    const value = q.feedbackValue;
    if (
      !q.userPoolId ||
      !q.username ||
      !q.eventId ||
      !q.feedbackToken ||
      (value !== "Valid" && value !== "Invalid")
    ) {
      return reply
        .code(400)
        .type("text/html")
        .send(page("Incomplete link", "This feedback link is incomplete."));
    }
    try {
      await giveUserFeedback(services.store, {
        poolId: q.userPoolId,
        username: q.username,
        eventId: q.eventId,
        feedbackToken: q.feedbackToken,
        value,
        now: services.clock(),
      });
    } catch (error) {
      if (!(error instanceof CognitoError)) throw error;
      return reply.code(400).type("text/html").send(page("Feedback not recorded", error.message));
    }
    const text =
      value === "Valid"
        ? "Thank you: the sign-in is recorded as yours."
        : "Thank you: the sign-in is recorded as not yours. Change your password if you have not yet.";
    return reply.type("text/html").send(page("Feedback recorded", text));
  });
}
