package io.firstline.console.store;

import java.sql.SQLException;

/** A database failure, unchecked so that callers need not wrap every call. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }

    /** True when the failure is a unique-constraint violation (a duplicate insert). */
    public boolean isUniqueViolation() {
        Throwable c = getCause();
        String m = c == null ? "" : String.valueOf(c.getMessage());
        return m.contains("UNIQUE constraint failed") || (c instanceof SQLException s && "23505".equals(s.getSQLState()));
    }
}
