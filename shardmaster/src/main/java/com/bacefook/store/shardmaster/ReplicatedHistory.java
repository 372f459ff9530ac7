package com.bacefook.store.shardmaster;

import com.bacefook.store.client.ProtoConfigurations;
import com.bacefook.store.proto.QueryResponse;
import com.bacefook.store.replication.ReplicatedState;
import com.bacefook.store.sharding.Configuration;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every member of a replicated shardmaster keeps alike: the configuration history, and the
 * address each member announced. Applies {@link ShardmasterCommand}s; an answer is "applied" or
 * the rules' rejection. A snapshot holds the announced addresses and every configuration in its
 * proto form ({@code QueryResponse}), so fields added there ride along.
 */
final class ReplicatedHistory implements ReplicatedState {
  private static final byte APPLIED = 0;
  private static final byte REJECTED = 1;

  private final ConfigurationHistory history = new ConfigurationHistory();
  private final Map<String, String> addresses = new ConcurrentHashMap<>();

  /** Returns this member's copy of the history (current as of the last entry applied). */
  ConfigurationHistory history() {
    return history;
  }

  /** Returns the address member {@code member} announced, if it did. */
  Optional<String> addressOf(String member) {
    return Optional.ofNullable(addresses.get(member));
  }

  @Override
  public byte[] apply(byte[] entry) {
    try {
      ShardmasterCommand command = ShardmasterCommand.decode(entry);
      if (command instanceof ShardmasterCommand.Join j) {
        if (j.replaces().isEmpty()) {
          history.join(j.server(), j.group());
        } else {
          history.replace(j.replaces(), j.server(), j.group());
        }
      } else if (command instanceof ShardmasterCommand.Leave l) {
        history.leave(l.servers());
      } else if (command instanceof ShardmasterCommand.Move m) {
        history.move(m.server(), m.range());
      } else if (command instanceof ShardmasterCommand.Announce a) {
        addresses.put(a.member(), a.address());
      }
      return new byte[] {APPLIED};
    } catch (IllegalArgumentException e) {
      byte[] message = String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8);
      byte[] answer = new byte[message.length + 1];
      answer[0] = REJECTED;
      System.arraycopy(message, 0, answer, 1, message.length);
      return answer;
    }
  }

  /**
   * Reads an answer of {@link #apply}.
   *
   * @throws RejectedChangeException with the rules' reason if the change was rejected
   */
  static void checkApplied(byte[] answer) {
    if (answer.length == 0 || answer[0] != APPLIED) {
      throw new RejectedChangeException(
          new String(answer, 1, Math.max(0, answer.length - 1), StandardCharsets.UTF_8));
    }
  }

  @Override
  public void writeSnapshot(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    Map<String, String> announced = Map.copyOf(addresses);
    data.writeInt(announced.size());
    for (Map.Entry<String, String> e : announced.entrySet()) {
      data.writeUTF(e.getKey());
      data.writeUTF(e.getValue());
    }
    List<Configuration> configs = history.all();
    data.writeInt(configs.size());
    for (Configuration config : configs) {
      byte[] proto = ProtoConfigurations.toProto(config).toByteArray();
      data.writeInt(proto.length);
      data.write(proto);
    }
    data.flush();
  }

  @Override
  public void readSnapshot(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int members = data.readInt();
    Map<String, String> announced = new ConcurrentHashMap<>();
    for (int i = 0; i < members; i++) {
      announced.put(data.readUTF(), data.readUTF());
    }
    int count = data.readInt();
    List<Configuration> configs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] proto = new byte[data.readInt()];
      data.readFully(proto);
      configs.add(ProtoConfigurations.fromProto(QueryResponse.parseFrom(proto)));
    }
    addresses.clear();
    addresses.putAll(announced);
    history.restore(configs);
  }
}
