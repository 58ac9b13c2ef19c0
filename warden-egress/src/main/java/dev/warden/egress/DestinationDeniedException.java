package dev.warden.egress;

import dev.warden.kernel.WardenSecurityException;

/** The {@link DestinationGuard} refused a destination. The message is safe to show to the model. */
public final class DestinationDeniedException extends WardenSecurityException {
  private final String host;
  private final AddressClass addressClass;

  public DestinationDeniedException(String host, AddressClass addressClass, String message) {
    super(message);
    this.host = host;
    this.addressClass = addressClass;
  }

  public String host() {
    return host;
  }

  public AddressClass addressClass() {
    return addressClass;
  }
}
