package io.firstline.rules;

import io.firstline.wire.KeyValues;
import io.firstline.proto.RuleDef;
import java.time.Duration;

/**
 * Rules on the wire: the console sends the threshold and event rules an agent runs as
 * {@link RuleDef}s, without the texts and scope the agent does not need.
 */
public final class RuleCodec {
    private RuleCodec() {
    }

    public static RuleDef toProto(Rule r) {
        if (!r.kind().runsOnAgent()) {
            throw new IllegalArgumentException("rule " + r.id() + " runs on the console, not on agents");
        }
        return RuleDef.newBuilder()
                .setId(r.id())
                .setMetric(r.metric())
                .setResource(r.resource())
                .setComparison(RuleDef.Comparison.valueOf(r.comparison().name()))
                .setThreshold(r.threshold())
                .setForMs(millis(r.forDuration()))
                .setRecoverThreshold(r.recoverThreshold())
                .setRecoverForMs(millis(r.recoverFor()))
                .setRequireOkFirst(r.requireOkFirst())
                .setFlapWindowMs(millis(r.flap().window()))
                .setFlapMaxRaises(r.flap().maxRaises())
                .setFlapHoldMs(millis(r.flap().hold()))
                .setStaleAfterMs(millis(r.staleAfter()))
                .setSeverity(r.severity().label())
                .setKind(r.kind() == Rule.Kind.EVENT ? RuleDef.Kind.EVENT : RuleDef.Kind.THRESHOLD)
                .addAllMatch(KeyValues.of(r.match()))
                .build();
    }

    /**
     * @throws IllegalArgumentException when the definition is not a valid rule
     */
    public static Rule fromProto(RuleDef d) {
        if (d.getComparison() == RuleDef.Comparison.COMPARISON_UNSPECIFIED || d.getComparison() == RuleDef.Comparison.UNRECOGNIZED) {
            throw new IllegalArgumentException("rule " + d.getId() + " has no known comparison");
        }
        Rule.Kind kind = switch (d.getKind()) {
            case THRESHOLD -> Rule.Kind.THRESHOLD;
            case EVENT -> Rule.Kind.EVENT;
            default -> throw new IllegalArgumentException("rule " + d.getId() + " has an unknown kind " + d.getKindValue());
        };
        return new Rule(d.getId(), kind, d.getMetric(), d.getResource(),
                Comparison.valueOf(d.getComparison().name()), d.getThreshold(), Duration.ofMillis(d.getForMs()),
                d.getRecoverThreshold(), Duration.ofMillis(d.getRecoverForMs()), d.getRequireOkFirst(),
                new Rule.Flap(Duration.ofMillis(d.getFlapWindowMs()), d.getFlapMaxRaises(), Duration.ofMillis(d.getFlapHoldMs())),
                Duration.ofMillis(d.getStaleAfterMs()), Duration.ZERO, Duration.ZERO,
                d.getSeverity().isEmpty() ? Severity.WARNING : Severity.parse(d.getSeverity()), Scope.ANY, Rule.Text.NONE,
                KeyValues.toMap(d.getMatchList()));
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }
}
