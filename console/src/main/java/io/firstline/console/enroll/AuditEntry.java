package io.firstline.console.enroll;

/** One line of the append-only audit log. */
public record AuditEntry(long id, long atMs, String actor, String action, String subject, String detail) {
    public static final String TOKEN_CREATED = "token.created";
    public static final String TOKEN_USED = "token.used";
    public static final String TOKEN_REVOKED = "token.revoked";
    public static final String TOKEN_REFUSED = "token.refused";
    public static final String AGENT_ENROLLED = "agent.enrolled";
    public static final String AGENT_RENEWED = "agent.renewed";
    public static final String AGENT_REVOKED = "agent.revoked";
}
