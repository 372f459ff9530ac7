package com.bacefook.store.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.bacefook.store.proto.GetResponse;
import com.bacefook.store.proto.GetRequest;
import com.bacefook.store.proto.ShardkvGrpc;
import com.bacefook.store.rpc.ChannelPool;
import com.bacefook.store.sharding.Configuration;
import com.bacefook.store.sharding.ReplicaSet;
import com.bacefook.store.sharding.ServerRanges;
import com.bacefook.store.sharding.ShardRange;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's way past a replica group member that does not answer: the group's next member, but
 * only while the configuration still names the member that failed. Members here are in-process
 * names with no server behind them (every call fails with {@code UNAVAILABLE}).
 */
class DetourTest {
  private final String prefix = InProcessServerBuilder.generateName() + "-";
  private final ChannelPool channels =
      new ChannelPool(address -> InProcessChannelBuilder.forName(address).build());
  private final List<String> reached = new CopyOnWriteArrayList<>();
  private Server solo;

  @AfterEach
  void stop() {
    if (solo != null) {
      solo.shutdownNow();
    }
    channels.close();
  }

  /** A server of its own at {@code prefix + "solo"} that answers every Get with {@code value}. */
  private String startSolo(String value) throws IOException {
    String address = prefix + "solo";
    solo =
        InProcessServerBuilder.forName(address)
            .directExecutor()
            .addService(
                new ShardkvGrpc.ShardkvImplBase() {
                  @Override
                  public void get(GetRequest request, StreamObserver<GetResponse> reply) {
                    reached.add(address);
                    reply.onNext(GetResponse.newBuilder().setData(value).build());
                    reply.onCompleted();
                  }
                })
            .build()
            .start();
    return address;
  }

  /** Configuration #1: a group of three silent members owns every ID, listed under the first. */
  private Configuration groupOwnsEverything() {
    List<String> members = List.of(prefix + "m1", prefix + "m2", prefix + "m3");
    return new Configuration(
        1,
        List.of(
            new ServerRanges(
                members.get(0),
                List.of(ShardRange.ALL),
                Optional.of(new ReplicaSet("g1", members)))));
  }

  /** Serves {@code first} until it has been refreshed {@code refreshes} times, then {@code then}. */
  private static ConfigurationSource changingAfter(
      int refreshes, Configuration first, Configuration then) {
    AtomicInteger count = new AtomicInteger();
    return new ConfigurationSource() {
      @Override
      public Configuration current() {
        return count.get() >= refreshes ? then : first;
      }

      @Override
      public Configuration refresh() {
        return count.incrementAndGet() >= refreshes ? then : first;
      }
    };
  }

  @Test
  void aReadFollowsTheConfigurationOnceItNamesAnotherOwnerInsteadOfGoingRoundTheOldGroup()
      throws Exception {
    String server = startSolo("moved");
    Configuration before = groupOwnsEverything();
    // The group is still listed, owning nothing: going round it would never end.
    ServerRanges emptied = before.servers().get(0).withRanges(List.of());
    Configuration moved =
        new Configuration(
            2, List.of(emptied, new ServerRanges(server, List.of(ShardRange.ALL))));

    StoreClient blocking =
        new StoreClient(
            changingAfter(2, before, moved), channels, Duration.ofSeconds(5), Duration.ofSeconds(1));
    StoreClient async =
        new StoreClient(
            changingAfter(2, before, moved), channels, Duration.ofSeconds(5), Duration.ofSeconds(1));

    assertThat(blocking.get("user_5")).isEqualTo(new Reply<>(server, "moved"));
    assertThat(async.getAsync("user_6").get(10, TimeUnit.SECONDS))
        .isEqualTo(new Reply<>(server, "moved"));
    assertThat(reached).hasSize(2);
  }
}
