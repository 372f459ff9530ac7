package com.bacefook.store.fuzz;

import com.bacefook.store.proto.AppendRequest;
import com.bacefook.store.proto.DeleteBatch;
import com.bacefook.store.proto.DeleteRequest;
import com.bacefook.store.proto.GDPRDeleteRequest;
import com.bacefook.store.proto.GetRequest;
import com.bacefook.store.proto.HandoffDone;
import com.bacefook.store.proto.JoinRequest;
import com.bacefook.store.proto.LeaveRequest;
import com.bacefook.store.proto.MoveRequest;
import com.bacefook.store.proto.PostListUpdate;
import com.bacefook.store.proto.PutBatch;
import com.bacefook.store.proto.PutRequest;
import com.bacefook.store.proto.QueryConfigRequest;
import com.bacefook.store.proto.ScanRequest;
import com.bacefook.store.proto.Shard;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.proto.ShardmasterGrpc;
import com.bacefook.store.rpc.Erasure;
import com.bacefook.store.rpc.Handoff;
import com.bacefook.store.sharding.KeyId;
import com.bacefook.store.testkit.FreePorts;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.testkit.MiniCluster;
import com.bacefook.store.testkit.fuzz.FuzzStats;
import com.bacefook.store.testkit.fuzz.Shown;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends random requests to random servers and the shardmaster, many in flight, and checks that each
 * gets a status from the set allowed for its RPC, and well within its deadline.
 *
 * <p>Configuration changes are the one thing it must not do at random: Join only gets names the
 * shardmaster refuses, Leave always names a stranger (all or none), and a valid Move between the real
 * servers is only sent while every server acts on the latest configuration with no handoff under way,
 * up to a cap, so reconfigurations never pile up. Once, at the start, it joins a well-formed address
 * with nothing behind it ({@code 127.0.0.1:<closed port>}) and makes it leave again, so the servers
 * live through a configuration with a dead member; valid Moves only start once they have recovered.
 */
final class RequestFuzzer {
  /** An asynchronous stub method, such as {@code ShardkvStub::get}. */
  @FunctionalInterface
  private interface Rpc<S, Q, R> {
    void send(S stub, Q request, StreamObserver<R> observer);
  }

  private static final Set<Status.Code> KEY_OP =
      EnumSet.of(
          Status.Code.OK, Status.Code.NOT_FOUND, Status.Code.INVALID_ARGUMENT,
          Status.Code.FAILED_PRECONDITION, Status.Code.UNAVAILABLE, Status.Code.RESOURCE_EXHAUSTED);
  /** Put and Delete of a post also update its author's list, possibly on another server. */
  private static final Set<Status.Code> KEY_OP_WITH_UPKEEP =
      with(KEY_OP, Status.Code.DEADLINE_EXCEEDED);
  private static final Set<Status.Code> HANDOFF =
      EnumSet.of(
          Status.Code.OK, Status.Code.INVALID_ARGUMENT, Status.Code.FAILED_PRECONDITION,
          Status.Code.RESOURCE_EXHAUSTED);
  private static final Set<Status.Code> REFUSED =
      EnumSet.of(Status.Code.INVALID_ARGUMENT, Status.Code.RESOURCE_EXHAUSTED);
  private static final Set<Status.Code> GDPR = with(KEY_OP_WITH_UPKEEP, Status.Code.OK);

  private static final String SHARDMASTER = "shardmaster";
  private static final long CALL_DEADLINE_MS = 30_000;
  private static final long GDPR_DEADLINE_MS = 60_000;
  /** Any status slower than this is reported: every server-side deadline is far shorter. */
  private static final long SLOW_MS = 25_000;
  private static final int HUGE_IN_FLIGHT = 2;
  private static final int TRACE_FRAMES = 8;

  private final MiniCluster cluster;
  private final List<String> servers;
  private final FuzzInputs in;
  private final FuzzStats<Status.Code> stats;
  private final int concurrency;
  private final Semaphore inFlight;
  private final Semaphore hugeInFlight = new Semaphore(HUGE_IN_FLIGHT);
  private final Map<String, ShardkvGrpc.ShardkvStub> shardkv = new LinkedHashMap<>();
  private final ShardmasterGrpc.ShardmasterStub shardmaster;
  private final ShardmasterGrpc.ShardmasterBlockingStub shardmasterBlocking;
  private final Set<String> members = new LinkedHashSet<>();
  private final int maxValidMoves;
  private final int hugeOneIn;
  private final Set<String> skipped;
  /** On a secure cluster, the header each request carries; empty on an open one. */
  private final Optional<FuzzCredentials> credentials;
  private int sent;
  private int validMoves;
  /** The configuration the last valid Move makes; no other may go before it is applied. */
  private long awaitedConfig;
  private boolean movesAllowed;
  private String deadServer;

  RequestFuzzer(
      MiniCluster cluster,
      FuzzInputs in,
      FuzzStats<Status.Code> stats,
      int concurrency,
      int maxValidMoves,
      int hugeOneIn,
      Set<String> skipped) {
    this.cluster = cluster;
    this.servers = cluster.serverNames();
    this.in = in;
    this.stats = stats;
    this.concurrency = concurrency;
    this.inFlight = new Semaphore(concurrency);
    this.maxValidMoves = maxValidMoves;
    this.hugeOneIn = hugeOneIn <= 0 ? Integer.MAX_VALUE : hugeOneIn;
    this.skipped = Set.copyOf(skipped);
    this.credentials = cluster.security().map(FuzzCredentials::new);
    ChannelPool fuzzed = cluster.security().isPresent() ? cluster.anonymousChannels() : cluster.channels();
    for (String server : servers) {
      shardkv.put(server, ShardkvGrpc.newStub(fuzzed.channel(server)));
    }
    this.shardmaster = ShardmasterGrpc.newStub(fuzzed.channel(cluster.shardmasterAddress()));
    this.shardmasterBlocking =
        ShardmasterGrpc.newBlockingStub(cluster.channels().channel(cluster.shardmasterAddress()));
    members.addAll(servers);
  }

  /** How many valid Moves were sent. */
  int validMoves() {
    return validMoves;
  }

  /**
   * Makes up to {@code requests} requests (those of skipped RPCs are not sent), stopping early at
   * {@code stopAtNanos}; returns how many it sent, once every one of them has its status.
   */
  int run(int requests, long stopAtNanos, boolean deadMember) {
    int leaveAt = deadMember ? Math.max(1, requests / 50) : -1;
    if (deadMember) {
      deadServer = "127.0.0.1:" + FreePorts.next();
      shardmasterBlocking
          .withDeadlineAfter(CALL_DEADLINE_MS, TimeUnit.MILLISECONDS)
          .join(JoinRequest.newBuilder().setServer(deadServer).build());
      members.add(deadServer);
    } else {
      movesAllowed = true;
    }
    for (int i = 0; i < requests && System.nanoTime() < stopAtNanos; i++) {
      if (i == leaveAt) {
        shardmasterBlocking
            .withDeadlineAfter(CALL_DEADLINE_MS, TimeUnit.MILLISECONDS)
            .leave(LeaveRequest.newBuilder().addServers(deadServer).build());
        members.remove(deadServer);
      }
      if (!movesAllowed && i > leaveAt && converged()) {
        movesAllowed = true;
      }
      sendOne();
    }
    if (members.contains(deadServer)) {
      shardmasterBlocking
          .withDeadlineAfter(CALL_DEADLINE_MS, TimeUnit.MILLISECONDS)
          .leave(LeaveRequest.newBuilder().addServers(deadServer).build());
      members.remove(deadServer);
    }
    awaitAll();
    return sent;
  }

  /**
   * Whether every server acts on the latest configuration with no handoff under way, and the last
   * valid Move (sent asynchronously) has been applied.
   */
  private boolean converged() {
    long latest = cluster.shardmaster().history().latest().number();
    if (latest < awaitedConfig) {
      return false;
    }
    for (String name : servers) {
      if (cluster.server(name).configuration().number() < latest
          || cluster.server(name).handoffInProgress()) {
        return false;
      }
    }
    return true;
  }

  private void sendOne() {
    int kind = in.nextInt(110);
    if (kind < 18) {
      GetRequest request = GetRequest.newBuilder().setKey(in.key(hugeOneIn)).build();
      String server = target(request.getKey());
      call("Get", server, request, KEY_OP, CALL_DEADLINE_MS, shardkv.get(server),
          ShardkvGrpc.ShardkvStub::get);
    } else if (kind < 34) {
      PutRequest request =
          PutRequest.newBuilder()
              .setKey(in.key(hugeOneIn))
              .setData(in.value(hugeOneIn))
              .setUser(in.user())
              .build();
      String server = target(request.getKey());
      call("Put", server, request, KEY_OP_WITH_UPKEEP, CALL_DEADLINE_MS, shardkv.get(server),
          ShardkvGrpc.ShardkvStub::put);
    } else if (kind < 42) {
      AppendRequest request =
          AppendRequest.newBuilder().setKey(in.key(hugeOneIn)).setData(in.value(hugeOneIn)).build();
      String server = target(request.getKey());
      call("Append", server, request, KEY_OP, CALL_DEADLINE_MS, shardkv.get(server),
          ShardkvGrpc.ShardkvStub::append);
    } else if (kind < 50) {
      DeleteRequest request = DeleteRequest.newBuilder().setKey(in.key(hugeOneIn)).build();
      String server = target(request.getKey());
      call("Delete", server, request, KEY_OP_WITH_UPKEEP, CALL_DEADLINE_MS, shardkv.get(server),
          ShardkvGrpc.ShardkvStub::delete);
    } else if (kind < 57) {
      PostListUpdate request =
          PostListUpdate.newBuilder()
              .setUser(in.chance(hugeOneIn) ? in.key(1) : in.user())
              .setPost(in.post())
              .setRemove(in.chance(3))
              .build();
      String server = target(request.getUser());
      call("UpdatePostList", server, request, KEY_OP, CALL_DEADLINE_MS, shardkv.get(server),
          ShardkvGrpc.ShardkvStub::updatePostList);
    } else if (kind < 63) {
      HandoffDone request = handoffDone();
      String server = in.server();
      call("EndHandoff", server, request, HANDOFF, CALL_DEADLINE_MS, shardkv.get(server),
          ShardkvGrpc.ShardkvStub::endHandoff);
    } else if (kind < 67) {
      String server = in.server();
      handoffPut(server, shardkv.get(server));
    } else if (kind < 72) {
      JoinRequest request =
          JoinRequest.newBuilder().setServer(in.joinName(hugeOneIn, members)).build();
      call("Join", SHARDMASTER, request, REFUSED, CALL_DEADLINE_MS, shardmaster,
          ShardmasterGrpc.ShardmasterStub::join);
    } else if (kind < 77) {
      LeaveRequest request =
          LeaveRequest.newBuilder().addAllServers(in.leaveNames(hugeOneIn, members)).build();
      call("Leave", SHARDMASTER, request, REFUSED, CALL_DEADLINE_MS, shardmaster,
          ShardmasterGrpc.ShardmasterStub::leave);
    } else if (kind < 84) {
      move();
    } else if (kind < 86) {
      call("Query", SHARDMASTER, Empty.getDefaultInstance(), EnumSet.of(Status.Code.OK),
          CALL_DEADLINE_MS, shardmaster, ShardmasterGrpc.ShardmasterStub::query);
    } else if (kind < 90) {
      long latest = cluster.shardmaster().history().latest().number();
      QueryConfigRequest request =
          QueryConfigRequest.newBuilder().setNum(in.configNumber(latest)).build();
      call("QueryConfig", SHARDMASTER, request, EnumSet.of(Status.Code.OK, Status.Code.NOT_FOUND),
          CALL_DEADLINE_MS, shardmaster, ShardmasterGrpc.ShardmasterStub::queryConfig);
    } else if (kind < 100) {
      String key =
          in.chance(2)
              ? in.defused("user_" + in.validKey().replaceAll("\\D+", ""))
              : in.key(hugeOneIn);
      GDPRDeleteRequest request = GDPRDeleteRequest.newBuilder().setKey(key).build();
      call("GDPRDelete", SHARDMASTER, request, GDPR, GDPR_DEADLINE_MS, shardmaster,
          ShardmasterGrpc.ShardmasterStub::gDPRDelete);
    } else if (kind < 104) {
      PutBatch.Builder batch = PutBatch.newBuilder();
      int keys = batchSize();
      for (int i = 0; i < keys; i++) {
        batch.addPuts(
            PutRequest.newBuilder()
                .setKey(in.key(hugeOneIn))
                .setData(keys > 8 ? in.text(30) : in.value(hugeOneIn))
                .setUser(in.user()));
      }
      String server = batch.getPutsCount() == 0 ? in.server() : target(batch.getPuts(0).getKey());
      call("PutMany", server, batch.build(), KEY_OP_WITH_UPKEEP, CALL_DEADLINE_MS, shardkv.get(server),
          ShardkvGrpc.ShardkvStub::putMany);
    } else if (kind < 107) {
      DeleteBatch.Builder batch = DeleteBatch.newBuilder();
      int keys = batchSize();
      for (int i = 0; i < keys; i++) {
        batch.addKeys(in.key(hugeOneIn));
      }
      String server = batch.getKeysCount() == 0 ? in.server() : target(batch.getKeys(0));
      ShardkvGrpc.ShardkvStub kv = shardkv.get(server);
      String rpc = "DeleteMany";
      String target = server;
      // One in four carries the mark of a GDPR erase's post deletes, naming a junk or real user.
      String user = in.chance(4) ? (in.chance(2) ? in.user() : in.ascii(24)) : "";
      if (!user.isEmpty()) {
        kv = Erasure.mark(kv, user);
        // gRPC's client drops a header whose value has a control character: the server sees no mark.
        rpc = FuzzInputs.sentAsHeader(user) ? FuzzCredentials.ERASING + rpc : rpc;
        target = server + " [" + Erasure.HEADER.name() + ": " + user + "]";
      }
      call(rpc, target, batch.build(), KEY_OP_WITH_UPKEEP, CALL_DEADLINE_MS, kv,
          ShardkvGrpc.ShardkvStub::deleteMany);
    } else {
      ScanRequest request =
          ScanRequest.newBuilder()
              .setFromId(in.chance(4) ? in.bound() : in.nextInt(KeyId.COUNT))
              .setAfterKey(in.chance(2) ? "" : in.key(hugeOneIn))
              .setLimit(in.chance(3) ? 0 : in.chance(2) ? in.nextInt(20) : in.bound())
              .build();
      String server = in.server();
      call("ScanKeys", server, request, KEY_OP, CALL_DEADLINE_MS, shardkv.get(server),
          ShardkvGrpc.ShardkvStub::scanKeys);
    }
  }

  /** Keys in a batch: mostly a few, sometimes none or many. */
  private int batchSize() {
    return in.chance(10) ? 0 : in.chance(10) ? 200 + in.nextInt(2000) : 1 + in.nextInt(8);
  }

  /** The owner of {@code key}'s ID, most of the time, if it has one; else any server. */
  private String target(String key) {
    String any = in.server();
    boolean toOwner = in.nextInt(10) < 6;
    OptionalInt id = FuzzInputs.idOf(key);
    if (id.isPresent() && toOwner) {
      Optional<String> owner = cluster.shardmaster().history().latest().ownerOf(id.getAsInt());
      if (owner.isPresent() && shardkv.containsKey(owner.get())) {
        return owner.get();
      }
    }
    return any;
  }

  /** A junk {@code HandoffDone}: real or junk sender, configuration number, ranges and key count. */
  private HandoffDone handoffDone() {
    long latest = cluster.shardmaster().history().latest().number();
    HandoffDone.Builder done =
        HandoffDone.newBuilder()
            .setConfigNum(in.configNumber(latest))
            .setSender(in.chance(3) ? in.server() : in.chance(2) ? in.ascii(20) : in.text(20))
            .setKeyCount(in.chance(2) ? 0 : in.chance(2) ? in.nextInt(5) : in.configNumber(0));
    int shards = in.nextInt(4);
    for (int i = 0; i < shards; i++) {
      done.addShards(Shard.newBuilder().setLower(in.bound()).setUpper(in.bound()));
    }
    return done.build();
  }

  /** A one-key {@code HandoffPuts} batch with the handoff headers: junk sender and configuration number. */
  private void handoffPut(String server, ShardkvGrpc.ShardkvStub kv) {
    Metadata headers = new Metadata();
    String sender = in.chance(3) ? in.server() : in.ascii(24);
    String config =
        in.chance(2) ? Long.toString(in.configNumber(cluster.shardmaster().history().latest().number()))
            : in.ascii(8);
    if (!sender.isEmpty()) {
      headers.put(Handoff.HEADER, sender);
    }
    headers.put(Handoff.CONFIG, config);
    PutBatch request =
        PutBatch.newBuilder()
            .addPuts(
                PutRequest.newBuilder()
                    .setKey(in.key(hugeOneIn))
                    .setData(in.value(1_000_000))
                    .setUser(in.user()))
            .build();
    ShardkvGrpc.ShardkvStub marked = kv.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    String target =
        server + " [" + Handoff.HEADER.name() + ": " + sender + ", " + Handoff.CONFIG.name() + ": "
            + config + "]";
    call("HandoffPuts", target, request, KEY_OP_WITH_UPKEEP, CALL_DEADLINE_MS, marked,
        ShardkvGrpc.ShardkvStub::handoffPuts);
  }

  /**
   * A Move: mostly refused (a stranger, or a bad range); valid ones only between real servers, spaced
   * out and capped, and never to the dead member.
   */
  private void move() {
    String server = in.moveName(members);
    int lower = in.bound();
    int upper = in.bound();
    boolean validRange =
        Integer.toUnsignedLong(lower) <= Integer.toUnsignedLong(upper)
            && Integer.toUnsignedLong(upper) <= KeyId.MAX;
    boolean withShard = !in.chance(20);
    boolean accepted = members.contains(server) && validRange && withShard;
    if (accepted
        && (!movesAllowed || server.equals(deadServer) || validMoves >= maxValidMoves || !converged())) {
      upper = lower == 0 ? KeyId.MAX + 1 : lower - 1;
      accepted = false;
    }
    if (accepted) {
      validMoves++;
      awaitedConfig = cluster.shardmaster().history().latest().number() + 1;
    }
    MoveRequest.Builder request = MoveRequest.newBuilder().setServer(server);
    if (withShard) {
      request.setShard(Shard.newBuilder().setLower(lower).setUpper(upper));
    }
    MoveRequest built = request.build();
    Set<Status.Code> allowed = accepted ? EnumSet.of(Status.Code.OK) : REFUSED;
    call("Move", SHARDMASTER, built, allowed, CALL_DEADLINE_MS, shardmaster,
        ShardmasterGrpc.ShardmasterStub::move);
  }

  /** Sends one request and checks its status when it comes. */
  private <S extends AbstractStub<S>, Q extends Message, R> void call(
      String rpc,
      String target,
      Q request,
      Set<Status.Code> allowedWithToken,
      long deadlineMs,
      S anonymousStub,
      Rpc<S, Q, R> method) {
    if (skipped.contains(rpc)) {
      return;
    }
    Optional<FuzzCredentials.Choice> choice =
        credentials.map(c -> c.choose(in, rpc, target.equals(SHARDMASTER)));
    S stub =
        choice
            .map(c -> anonymousStub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(c.headers())))
            .orElse(anonymousStub);
    Set<Status.Code> allowed =
        choice.flatMap(FuzzCredentials.Choice::refusal).map(code -> (Set<Status.Code>) EnumSet.of(code))
            .orElse(allowedWithToken);
    sent++;
    boolean huge = request.getSerializedSize() > FuzzInputs.HUGE;
    acquire(inFlight, 1);
    if (huge) {
      acquire(hugeInFlight, 1);
    }
    long start = System.nanoTime();
    StreamObserver<R> observer =
        new StreamObserver<>() {
          @Override
          public void onNext(R reply) {}

          @Override
          public void onError(Throwable t) {
            done(Status.fromThrowable(t));
          }

          @Override
          public void onCompleted() {
            done(Status.OK);
          }

          private void done(Status status) {
            try {
              long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
              stats.record(rpc, status.getCode(), ms);
              if (!allowed.contains(status.getCode()) || ms > SLOW_MS) {
                String kind =
                    rpc + " -> " + status.getCode() + (ms > SLOW_MS ? " after " + SLOW_MS + " ms" : "")
                        + (status.getCause() == null
                            ? ""
                            : " (" + status.getCause().getClass().getSimpleName() + ")");
                stats.fail(kind, describe(rpc, target, request, status, ms, allowed));
              }
            } finally {
              if (huge) {
                hugeInFlight.release();
              }
              inFlight.release();
            }
          }
        };
    try {
      method.send(stub.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS), request, observer);
    } catch (RuntimeException e) {
      observer.onError(e);
    }
  }

  private void acquire(Semaphore semaphore, int permits) {
    try {
      if (!semaphore.tryAcquire(permits, GDPR_DEADLINE_MS + 10_000, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "no answer to " + (concurrency - inFlight.availablePermits()) + " requests in flight after "
                + (GDPR_DEADLINE_MS + 10_000) + " ms, though each has a deadline");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void awaitAll() {
    acquire(inFlight, concurrency);
    inFlight.release(concurrency);
  }

  private static String describe(
      String rpc, String target, Message request, Status status, long ms, Set<Status.Code> allowed) {
    StringBuilder out = new StringBuilder();
    out.append(rpc).append(" to ").append(target).append(' ').append(describe(request))
        .append("\n    -> ").append(status.getCode()).append(" after ").append(ms).append(" ms (allowed: ")
        .append(allowed).append("): ").append(Shown.text(String.valueOf(status.getDescription()), 400));
    for (Throwable cause = status.getCause(); cause != null; cause = cause.getCause()) {
      out.append("\n    cause: ").append(cause);
      StackTraceElement[] frames = cause.getStackTrace();
      for (int i = 0; i < Math.min(TRACE_FRAMES, frames.length); i++) {
        out.append("\n      at ").append(frames[i]);
      }
      if (frames.length > TRACE_FRAMES) {
        out.append("\n      ... ").append(frames.length - TRACE_FRAMES).append(" more");
      }
    }
    return out.toString();
  }

  /** The fields of {@code message}, strings shown escaped and cut short, with their lengths. */
  static String describe(Message message) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (out.length() > 1) {
        out.append(", ");
      }
      out.append(field.getKey().getName()).append('=');
      Object value = field.getValue();
      if (value instanceof String s) {
        out.append(Shown.text(s, 120));
      } else if (value instanceof List<?> list) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
          Object item = list.get(i);
          out.append(i > 0 ? ", " : "")
              .append(
                  item instanceof String s
                      ? Shown.text(s, 60)
                      : item instanceof Message m ? describe(m) : item);
        }
        out.append(']');
      } else if (value instanceof Message m) {
        out.append(describe(m));
      } else if (value instanceof Integer n) {
        out.append(Integer.toUnsignedString(n));
      } else if (value instanceof Long n) {
        out.append(Long.toUnsignedString(n));
      } else {
        out.append(value);
      }
    }
    return out.append('}').toString();
  }

  private static Set<Status.Code> with(Set<Status.Code> codes, Status.Code more) {
    EnumSet<Status.Code> result = EnumSet.copyOf(codes);
    result.add(more);
    return result;
  }
}
