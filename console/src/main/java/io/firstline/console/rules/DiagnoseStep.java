package io.firstline.console.rules;

import java.util.Map;

/**
 * One diagnostic a rule runs when its ticket opens (automatic triage), as
 * written in the rules file: {@code {action: disk_usage, path: "{resource}"}}.
 * Parameter values may hold {@value #RESOURCE}, replaced by the ticket's
 * resource (the mount point, interface or name the fault is about).
 */
public record DiagnoseStep(String action, Map<String, String> params) {
    public static final String RESOURCE = "{resource}";

    public DiagnoseStep {
        params = Map.copyOf(params);
    }

    /** The parameters with {@value #RESOURCE} replaced. */
    public Map<String, String> params(String resource) {
        Map<String, String> out = new java.util.TreeMap<>();
        params.forEach((k, v) -> out.put(k, v.replace(RESOURCE, resource)));
        return out;
    }
}
