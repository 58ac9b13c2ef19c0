package dev.warden.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Name resolution, injectable so tests can simulate DNS (including rebinding). */
@FunctionalInterface
public interface Resolver {
  /** All addresses of {@code host}; never empty. */
  List<InetAddress> resolve(String host) throws UnknownHostException;

  /** The JDK's resolver. */
  Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
}
