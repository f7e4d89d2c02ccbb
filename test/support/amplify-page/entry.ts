/**
 * The browser side of a single-page app that signs in with Amplify v6's signInWithRedirect, bundled
 * by the test for chromium: its configuration is the page's JSON `#amplify-config`; the test drives
 * it through `window.app`.
 */
import { Amplify } from "aws-amplify";
import { fetchAuthSession, getCurrentUser, signInWithRedirect, signOut } from "aws-amplify/auth";
import "aws-amplify/auth/enable-oauth-listener";
import { Hub } from "aws-amplify/utils";

interface PageConfig {
  userPoolId: string;
  userPoolClientId: string;
  userPoolEndpoint: string;
  domain: string;
  redirectSignIn: string;
  redirectSignOut: string;
}

/** The page's globals, typed here because the project compiles without the DOM library. */
const page = globalThis as unknown as {
  document: { getElementById(id: string): { textContent: string | null } | null };
};
const config = JSON.parse(page.document.getElementById("amplify-config")?.textContent ?? "{}") as PageConfig;

Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: config.userPoolId,
      userPoolClientId: config.userPoolClientId,
      userPoolEndpoint: config.userPoolEndpoint,
      loginWith: {
        oauth: {
          domain: config.domain,
          scopes: ["openid", "email", "profile", "aws.cognito.signin.user.admin"],
          redirectSignIn: [config.redirectSignIn],
          redirectSignOut: [config.redirectSignOut],
          responseType: "code",
        },
      },
    },
  },
});

/** What Amplify's Hub said, in order: the test waits for `signInWithRedirect`. */
const events: string[] = [];
Hub.listen("auth", ({ payload }) => {
  events.push(payload.event);
});

Object.assign(globalThis, {
  app: {
    events,
    signIn: () => signInWithRedirect(),
    signOut: () => signOut(),
    async session() {
      const session = await fetchAuthSession();
      const user = await getCurrentUser();
      return {
        username: user.username,
        idToken: session.tokens?.idToken?.toString() ?? null,
        accessToken: session.tokens?.accessToken?.toString() ?? null,
      };
    },
  },
});
