package dev.rebatch.node.exec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ProcessSpawner#forThisMachine}: chosen once per JVM, when first needed (and logged then). */
final class SpawnerChoice {

    private static final Logger log = LoggerFactory.getLogger(ProcessSpawner.class);
    static final ProcessSpawner CHOSEN = choose();

    private SpawnerChoice() {}

    private static ProcessSpawner choose() {
        if ("jdk".equals(System.getProperty("rebatch.node.spawner"))) {
            return JdkProcessSpawner.INSTANCE;
        }
        if (PosixProcessSpawner.UNAVAILABLE_BECAUSE.isPresent()) {
            log.info("Tasks start through the JDK's ProcessBuilder, which is slower: posix_spawn with "
                    + "POSIX_SPAWN_SETSID is not available here ({})", PosixProcessSpawner.UNAVAILABLE_BECAUSE.get());
            return JdkProcessSpawner.INSTANCE;
        }
        return PosixProcessSpawner.INSTANCE;
    }
}
