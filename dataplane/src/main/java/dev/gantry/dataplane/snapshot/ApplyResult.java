package dev.gantry.dataplane.snapshot;

import static java.util.Objects.requireNonNull;

import dev.gantry.protocol.v1.Ack;
import dev.gantry.protocol.v1.DataplaneMessage;
import dev.gantry.protocol.v1.Nack;

/** The decision on one snapshot, and the answer it makes to the control plane. */
sealed interface ApplyResult {

  /** Returns the Ack or Nack to send. */
  DataplaneMessage answer();

  /** The snapshot is served from now on. */
  record Applied(long version, String digest) implements ApplyResult {

    public Applied {
      requireNonNull(digest, "digest");
    }

    @Override
    public DataplaneMessage answer() {
      return DataplaneMessage.newBuilder()
          .setAck(Ack.newBuilder().setVersion(version).setDigest(digest))
          .build();
    }
  }

  /** The snapshot was refused; the previous table keeps serving. */
  record Rejected(long version, String digest, String reason) implements ApplyResult {

    public Rejected {
      requireNonNull(digest, "digest");
      requireNonNull(reason, "reason");
    }

    @Override
    public DataplaneMessage answer() {
      return DataplaneMessage.newBuilder()
          .setNack(Nack.newBuilder().setVersion(version).setDigest(digest).setReason(reason))
          .build();
    }
  }
}
