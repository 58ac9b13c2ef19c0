package dev.warden.egress.internal;

import dev.warden.egress.CertificateAuthority;
import dev.warden.egress.DestinationGuard;
import dev.warden.egress.EgressAuthorizer;
import dev.warden.egress.EgressListener;
import dev.warden.egress.LeakScanner;
import dev.warden.vault.Vault;
import java.time.InstantSource;

/** Everything a connection handler needs; built once by {@code EgressProxy}. */
public record ProxySettings(
    CertificateAuthority ca,
    Vault vault,
    DestinationGuard guard,
    EgressAuthorizer authorizer,
    EgressListener listener,
    LeakScanner leakScanner,
    UpstreamPool upstreamPool,
    InstantSource clock) {}
