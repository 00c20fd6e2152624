package dev.rebatch.node.exec;

class ProcessBuilderTaskLauncherTest extends TaskLauncherContract {

    @Override
    ProcessSpawner spawner() {
        return ProcessSpawner.jdk();
    }
}
