# Sourced (POSIX sh) by ./mvnw, .ci/run and the rebatch launcher: makes JAVA_HOME point at a JDK 22 or newer.
# Keeps JAVA_HOME when it already is one; otherwise picks the newest JDK found in the usual places.
# Fails with a message that says what to install when there is none.

rebatch_jdk_major() {
    _rebatch_v=""
    if [ -r "$1/release" ]; then
        _rebatch_v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release")
    fi
    if [ -z "$_rebatch_v" ] && [ -x "$1/bin/java" ]; then
        _rebatch_v=$("$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9][0-9]*\).*/\1/p')
    fi
    echo "${_rebatch_v:-0}"
}

rebatch_find_jdk() {
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(rebatch_jdk_major "$JAVA_HOME")" -ge 22 ]; then
        return 0
    fi
    _rebatch_best=""
    _rebatch_best_major=0
    _rebatch_path_jdk=""
    if command -v javac >/dev/null 2>&1; then
        _rebatch_path_jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    fi
    for _rebatch_home in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
            "$HOME"/.jdks/* $_rebatch_path_jdk; do
        [ -x "$_rebatch_home/bin/javac" ] || continue
        _rebatch_major=$(rebatch_jdk_major "$_rebatch_home")
        if [ "$_rebatch_major" -gt "$_rebatch_best_major" ]; then
            _rebatch_best=$_rebatch_home
            _rebatch_best_major=$_rebatch_major
        fi
    done
    if [ "$_rebatch_best_major" -ge 22 ]; then
        JAVA_HOME=$_rebatch_best
        export JAVA_HOME
        return 0
    fi
    echo "Rebatch needs a JDK 22 or newer to build and run, and none was found" >&2
    echo "(looked at JAVA_HOME=${JAVA_HOME:-<unset>}, /usr/lib/jvm, /usr/local/lib/jvm, /opt, ~/.sdkman and ~/.jdks)." >&2
    echo "Install one (for example Temurin 25 from adoptium.net, or a distribution package such as openjdk-25-jdk-headless) or set JAVA_HOME to it." >&2
    return 1
}
