package io.firstline.console.kb;

import java.sql.Connection;
import java.sql.SQLException;
import java.text.Normalizer;
import java.util.Locale;

/** Article ids made from titles: "Disk full on /var" becomes kb-disk-full-on-var (kb-...-2 if taken). */
final class Slugs {
    private Slugs() {
    }

    static String of(String title) {
        String ascii = Normalizer.normalize(title == null ? "" : title, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String s = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 60) {
            s = s.substring(0, 60).replaceAll("-+$", "");
        }
        return "kb-" + (s.isEmpty() ? "article" : s);
    }

    static String free(Connection c, String title) throws SQLException {
        String base = of(title);
        String id = base;
        for (int n = 2; ArticleRepository.exists(c, id); n++) {
            id = base + "-" + n;
        }
        return id;
    }
}
