package dev.rebatch.node.exec;

class PosixSpawnTaskLauncherTest extends TaskLauncherContract {

    @Override
    ProcessSpawner spawner() {
        // Never silently the JDK's instead: PosixProcessSpawnerTest fails where this one would be missing.
        return PosixProcessSpawner.INSTANCE;
    }
}
