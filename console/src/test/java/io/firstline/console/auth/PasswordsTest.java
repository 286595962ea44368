package io.firstline.console.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordsTest {
    private final Passwords passwords = new Passwords(10_000);

    @Test
    void verifiesTheRightPasswordOnlyAndSaltsEachHash() {
        String h = passwords.hash("correct horse");
        assertTrue(h.startsWith("pbkdf2-sha256$10000$"), h);
        assertTrue(passwords.verify("correct horse", h));
        assertFalse(passwords.verify("correct horsE", h));
        assertNotEquals(h, passwords.hash("correct horse"));
    }

    @Test
    void aHashKeepsItsOwnIterationCount() {
        String old = new Passwords(5_000).hash("pw");
        assertTrue(passwords.verify("pw", old));
    }

    @Test
    void malformedHashesNeverVerify() {
        assertFalse(passwords.verify("x", ""));
        assertFalse(passwords.verify("x", "md5$1$abc$def"));
        assertFalse(passwords.verify("x", "pbkdf2-sha256$notanumber$AA$AA"));
        assertFalse(passwords.verify("x", "pbkdf2-sha256$1000$!!$AA"));
    }
}
