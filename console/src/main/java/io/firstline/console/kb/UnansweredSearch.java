package io.firstline.console.kb;

import java.time.Instant;

/** A query people searched for and opened no article from: how often, when last, with how many results. */
public record UnansweredSearch(String query, int count, Instant lastAt, int lastResults) {
}
