package io.firstline.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Firstline's version, from the build: what both command lines print for {@code --version}. */
public final class BuildVersion {
    private static final String VERSION = load();

    private BuildVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
