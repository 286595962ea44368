package io.firstline.console.auth;

/**
 * Who made a request: a user signed in with a browser session (which carries
 * a CSRF token) or a script with an API token (which needs none: a browser
 * never adds an {@code Authorization} header by itself).
 * {@code mustChangePassword} is true for a browser session signed in with a
 * one-time password: it may do nothing but change it.
 */
public record Principal(long userId, String username, Role role, String csrfToken, boolean viaApiToken,
                        boolean mustChangePassword) {
    public static final Principal ANONYMOUS = new Principal(0, "", Role.VIEWER, "", false, false);

    public boolean authenticated() {
        return userId != 0;
    }
}
