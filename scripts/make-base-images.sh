#!/usr/bin/env bash
# Makes local stand-ins for the .NET base images the Dockerfile names, for machines that have podman
# but cannot pull from a container registry. Each stand-in is a Debian bookworm minbase root
# filesystem plus this machine's .NET install (the runtime for the aspnet image, the whole SDK for the
# sdk image), imported under the real image name so the Dockerfile builds unchanged. It only ever
# creates images that are missing; it never replaces a real one.
#
# Usage: scripts/make-base-images.sh [DOCKERFILE]      (needs root, podman, debootstrap, dotnet)
# The Debian mirror is the one apt on this machine uses; set DEBIAN_MIRROR to choose another.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dockerfile="${1:-$root/Dockerfile}"
suite=bookworm
# The .NET images carry ICU and OpenSSL; EdgeProxy uses OpenSSL for TLS, the SDK uses ICU.
packages=ca-certificates,libssl3,libicu72,tzdata

say() { echo "base-images: $*"; }
die() { echo "base-images: $*" >&2; exit 1; }

# The mirror apt already uses for $suite (deb822 .sources files, then one-line .list files).
apt_mirror() {
  local file
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -e "$file" ] || continue
    awk -v suite="$suite" '
      function flush() { if (deb && found && uri != "") { print uri; exit } deb = found = 0; uri = "" }
      /^[[:space:]]*$/ { flush(); next }
      /^Types:/ { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) found = 1 }
      END { flush() }' "$file"
  done | head -n 1 | grep . && return 0
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | awk -v suite="$suite" '$1 == "deb" { sub(/\[[^]]*\][[:space:]]*/, ""); if ($3 == suite) { print $2; exit } }' | grep .
}

# The base images the Dockerfile names (FROM lines that are not earlier stages).
base_images() {
  awk 'toupper($1) == "FROM" { image = $2; for (i = 2; i <= NF; i++) if ($i !~ /^--/) { image = $i; break }
         if (!(image in stage)) print image; if (toupper($(NF-1)) == "AS") stage[$NF] = 1 }' "$dockerfile" | sort -u
}

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap and rootful podman)"
for tool in podman debootstrap dotnet; do
  command -v "$tool" >/dev/null || die "$tool not found; install with: apt-get install -y podman buildah runc debootstrap (and the .NET 10 SDK)"
done

missing=()
while read -r image; do
  if podman image exists "$image"; then
    say "$image present"
  else
    missing+=("$image")
  fi
done < <(base_images)
((${#missing[@]})) || exit 0

dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
runtime_version="$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" && $2 ~ /^10\./ { v = $2 } END { print v }')"
sdk_version="$(dotnet --list-sdks | awk '$1 ~ /^10\./ { v = $1 } END { print v }')"
[ -n "$runtime_version" ] && [ -n "$sdk_version" ] || die "this machine has no .NET 10 SDK and ASP.NET Core 10 runtime"
mirror="${DEBIAN_MIRROR:-$(apt_mirror || true)}"
[ -n "$mirror" ] || die "no Debian $suite mirror found in the apt sources; set DEBIAN_MIRROR"

work="$(mktemp -d /var/tmp/edgeproxy-base.XXXXXX)"
trap 'rm -rf "$work"' EXIT
say "debootstrap $suite (minbase) from the apt mirror; this takes about a minute"
debootstrap --variant=minbase --include="$packages" "$suite" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*

# import ROOTFS IMAGE ENV...: one layer, tagged with the real name, marked as a stand-in.
import() {
  local rootfs=$1 image=$2 change=()
  shift 2
  for env in "$@"; do change+=(--change "ENV $env"); done
  tar --numeric-owner --xattrs -C "$rootfs" -c . | podman import --quiet \
    --change 'LABEL edgeproxy.base-image-stand-in=true' "${change[@]}" --change 'CMD ["/bin/bash"]' - "$image" >/dev/null
  say "$image made (stand-in)"
}

for image in "${missing[@]}"; do
  rootfs="$work/$(basename "${image%%:*}")"
  cp -a "$work/rootfs" "$rootfs"
  mkdir -p "$rootfs/usr/share/dotnet"
  case "$image" in
    */dotnet/aspnet:*)
      # The runtime only: host, Microsoft.NETCore.App and Microsoft.AspNetCore.App, as in the real image.
      cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$rootfs/usr/share/dotnet/" 2>/dev/null \
        || cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$rootfs/usr/share/dotnet/"
      mkdir -p "$rootfs/usr/share/dotnet/shared"
      for framework in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
        mkdir -p "$rootfs/usr/share/dotnet/shared/$framework"
        cp -a "$dotnet_root/shared/$framework/$runtime_version" "$rootfs/usr/share/dotnet/shared/$framework/"
      done
      ln -s ../share/dotnet/dotnet "$rootfs/usr/bin/dotnet"
      import "$rootfs" "$image" DOTNET_RUNNING_IN_CONTAINER=true "DOTNET_VERSION=$runtime_version" "ASPNET_VERSION=$runtime_version" ASPNETCORE_HTTP_PORTS=8080
      ;;
    */dotnet/sdk:*)
      cp -a "$dotnet_root/." "$rootfs/usr/share/dotnet/"
      # The build stage downloads NuGet packages: trust the CAs this machine added to its own store (a company
      # TLS proxy's, for example), as the build machine would.
      if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
        cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
        chroot "$rootfs" update-ca-certificates >/dev/null 2>&1
      fi
      ln -s ../share/dotnet/dotnet "$rootfs/usr/bin/dotnet"
      import "$rootfs" "$image" DOTNET_RUNNING_IN_CONTAINER=true "DOTNET_SDK_VERSION=$sdk_version" DOTNET_NOLOGO=true \
        DOTNET_GENERATE_ASPNET_CERTIFICATE=false DOTNET_CLI_TELEMETRY_OPTOUT=1 NUGET_XMLDOC_MODE=skip
      ;;
    *)
      die "$image is missing and this script only knows how to stand in for the .NET aspnet and sdk images"
      ;;
  esac
  rm -rf "$rootfs"
done
