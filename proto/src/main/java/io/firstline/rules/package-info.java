/**
 * Fault rules and the one evaluator that runs them, on the agent and on the
 * console alike.
 *
 * <p>This package lives in the wire-contract module on purpose: the agent
 * cannot depend on the console, yet both must interpret a rule identically,
 * because the console pushes rules down to agents ({@code RuleSet}) and
 * trusts the {@code FaultRaised}/{@code FaultCleared} events they send back.
 * Keeping the meaning of a rule next to the messages that carry it makes
 * that shared meaning part of the contract. It is pure Java: no Netty, no
 * database, time from an injected {@link java.time.Clock}.
 */
package io.firstline.rules;
