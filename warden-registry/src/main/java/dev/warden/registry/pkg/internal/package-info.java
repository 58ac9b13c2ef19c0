/** Implementation details shared by the registry packages: tar subset, canonical JSON, atomic files, PEM. Not API. */
package dev.warden.registry.pkg.internal;
