package com.bacefook.store.gateway.fuzz;

import com.bacefook.store.testkit.fuzz.FuzzStats;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Sends one generator's requests one after another, until its quota is sent or time is up, and
 * checks each answer: it came within the deadline; its status is not 5xx and is one the model
 * predicted; a 4xx is {@code application/json} with a non-blank string {@code "error"}; a 2xx of
 * the API is {@code application/json} (or empty, for 204) and passes the model's check. A success
 * updates the model.
 */
final class FuzzWorker implements Callable<Integer> {
  /** The status counted for a request that got no answer (timeout or connection failure). */
  static final int NO_ANSWER = 0;

  static final ObjectMapper STRICT_JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final CaseGenerator generator;
  private final FuzzHttp http;
  private final FuzzStats<Integer> stats;
  private final int quota;
  private final long stopAtNanos;
  private final Duration deadline;

  FuzzWorker(
      CaseGenerator generator,
      FuzzHttp http,
      FuzzStats<Integer> stats,
      int quota,
      long stopAtNanos,
      Duration deadline) {
    this.generator = generator;
    this.http = http;
    this.stats = stats;
    this.quota = quota;
    this.stopAtNanos = stopAtNanos;
    this.deadline = deadline;
  }

  /** Returns how many requests it sent. */
  @Override
  public Integer call() {
    int sent = 0;
    while (sent < quota
        && System.nanoTime() < stopAtNanos
        && !Thread.currentThread().isInterrupted()) {
      sent++;
      CaseGenerator.FuzzCase fuzzCase;
      try {
        fuzzCase = generator.next();
      } catch (IllegalStateException e) {
        stats.fail("the generator broke its own rules", e.getMessage());
        continue;
      }
      FuzzHttp.Reply reply;
      try {
        reply = http.send(fuzzCase.request(), deadline);
      } catch (HttpTimeoutException e) {
        stats.record(fuzzCase.endpoint(), NO_ANSWER, deadline.toMillis());
        stats.fail(
            fuzzCase.endpoint() + ": no answer within " + deadline.toSeconds() + " s",
            fuzzCase.request().describe());
        continue;
      } catch (IOException e) {
        stats.record(fuzzCase.endpoint(), NO_ANSWER, 0);
        if (fuzzCase.mayDropConnection() || fuzzCase.request().abortAfter() >= 0) {
          // The gateway answered and closed while the client was still sending; or the client
          // broke off its own upload (what the gateway made of it, its log tells).
          continue;
        }
        stats.fail(
            fuzzCase.endpoint() + ": no answer: " + e.getClass().getSimpleName(),
            fuzzCase.request().describe() + "\n      -> " + e);
        continue;
      } catch (IllegalArgumentException e) {
        stats.fail(
            "HttpClient refuses a request the generator built: " + e.getMessage(),
            fuzzCase.request().describe());
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      stats.record(fuzzCase.endpoint(), reply.status(), reply.millis());
      check(fuzzCase, reply);
    }
    return sent;
  }

  private void check(CaseGenerator.FuzzCase fuzzCase, FuzzHttp.Reply reply) {
    String example = fuzzCase.request().describe() + "\n      -> " + reply.describe();
    int status = reply.status();
    Outcome outcome = fuzzCase.outcome();
    boolean head = fuzzCase.request().method().equals("HEAD");
    if (status >= 500) {
      stats.fail(status + " from " + fuzzCase.endpoint(), example);
    } else if (!outcome.allows(status)) {
      stats.fail(
          fuzzCase.endpoint()
              + ": "
              + status
              + " where "
              + outcome.describeStatuses()
              + " was predicted",
          example);
    }
    if (status >= 400 && !head) {
      String problem = errorProblem(reply);
      if (problem != null) {
        stats.fail(status + " " + problem, example);
      }
    }
    boolean success = status >= 200 && status < 300;
    if (success && fuzzCase.jsonAnswer() && !head) {
      String problem = successProblem(outcome, reply);
      if (problem != null) {
        int end = problem.indexOf(SocialModel.KIND_END);
        String kind = end < 0 ? problem : problem.substring(0, end);
        String detail = end < 0 ? "" : problem.substring(end + SocialModel.KIND_END.length());
        stats.fail(fuzzCase.endpoint() + ": " + kind, example + "\n      " + detail);
      }
    }
    if (success && outcome.allows(status)) {
      outcome.onSuccess().run();
    }
  }

  /** What is wrong with an error answer, or null: it must be {@code {"error": "..."}} in JSON. */
  static String errorProblem(FuzzHttp.Reply reply) {
    if (!reply.contentType().startsWith("application/json")) {
      return "answered " + mediaType(reply) + ", not JSON {\"error\": ...}";
    }
    JsonNode json = parse(reply);
    if (json == null) {
      return "answered application/json that does not parse";
    }
    JsonNode error = json.get("error");
    return error != null && error.isTextual() && !error.asText().isBlank()
        ? null
        : "answered JSON without a non-blank string \"error\"";
  }

  private static String successProblem(Outcome outcome, FuzzHttp.Reply reply) {
    if (reply.status() == 204) {
      return reply.body().length == 0 ? null : "204 with a body";
    }
    if (!reply.contentType().startsWith("application/json")) {
      return reply.status() + " answered " + mediaType(reply) + ", not application/json";
    }
    JsonNode json = parse(reply);
    if (json == null) {
      return reply.status() + " answered application/json that does not parse";
    }
    return outcome.check() == null ? null : outcome.check().problem(json);
  }

  private static String mediaType(FuzzHttp.Reply reply) {
    String type = reply.contentType();
    int semicolon = type.indexOf(';');
    return type.isEmpty() ? "no Content-Type" : semicolon < 0 ? type : type.substring(0, semicolon);
  }

  private static JsonNode parse(FuzzHttp.Reply reply) {
    String text = reply.text();
    if (text == null) {
      return null;
    }
    try {
      return STRICT_JSON.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }
}
