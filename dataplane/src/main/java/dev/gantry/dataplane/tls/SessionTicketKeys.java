package dev.gantry.dataplane.tls;

import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;

/**
 * The keys OpenSSL encrypts session tickets with, shared by every certificate's context so that a
 * ticket resumes whichever context the SNI picks again. A new random key becomes current every
 * {@link #ROTATION}; the previous one still decrypts for one more period, so a ticket resumes for
 * at most two periods (and its session for {@link ServerContextFactory#SESSION_LIFETIME}). Keys
 * live only in this process's memory: a restart or another replica cannot resume them.
 *
 * <p>The JDK provider keeps its own ticket keys (TLS 1.3 stateless tickets); contexts of it are
 * left alone. Thread-safe.
 */
final class SessionTicketKeys {

  /** How long a key encrypts new tickets. */
  static final Duration ROTATION = Duration.ofHours(1);

  private final SecureRandom random = new SecureRandom();
  private byte[] current = newKey();
  private byte[] previous = newKey();

  /** Makes a new key current and keeps the current one for decrypting only. */
  synchronized void rotate() {
    previous = current;
    current = newKey();
  }

  /** Installs the keys in {@code context} if it is an OpenSSL context. */
  synchronized void applyTo(SslContext context) {
    if (context.sessionContext() instanceof OpenSslSessionContext sessions) {
      sessions.setTicketKeys(ticketKey(current), ticketKey(previous));
    }
  }

  private static OpenSslSessionTicketKey ticketKey(byte[] key) {
    int name = OpenSslSessionTicketKey.NAME_SIZE;
    int hmac = OpenSslSessionTicketKey.HMAC_KEY_SIZE;
    int aes = OpenSslSessionTicketKey.AES_KEY_SIZE;
    return new OpenSslSessionTicketKey(
        Arrays.copyOfRange(key, 0, name),
        Arrays.copyOfRange(key, name, name + hmac),
        Arrays.copyOfRange(key, name + hmac, name + hmac + aes));
  }

  private byte[] newKey() {
    byte[] key = new byte[OpenSslSessionTicketKey.TICKET_KEY_SIZE];
    random.nextBytes(key);
    return key;
  }
}
