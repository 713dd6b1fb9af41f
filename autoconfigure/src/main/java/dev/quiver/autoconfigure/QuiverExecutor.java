package dev.quiver.autoconfigure;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.core.task.TaskExecutor;

/**
 * Finds the executor Quiver's beans run their asynchronous work on: Spring Boot's {@code applicationTaskExecutor}
 * (virtual threads with {@code spring.threads.virtual.enabled}), else the application's one {@link TaskExecutor},
 * else the JDK's common pool.
 */
final class QuiverExecutor {

    private static final String APPLICATION_TASK_EXECUTOR =
            TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME;

    private QuiverExecutor() {
    }

    static Executor of(BeanFactory beanFactory) {
        if (beanFactory.containsBean(APPLICATION_TASK_EXECUTOR)
                && beanFactory.isTypeMatch(APPLICATION_TASK_EXECUTOR, Executor.class)) {
            return beanFactory.getBean(APPLICATION_TASK_EXECUTOR, Executor.class);
        }
        TaskExecutor unique = beanFactory.getBeanProvider(TaskExecutor.class).getIfUnique();
        return (unique != null) ? unique : ForkJoinPool.commonPool();
    }
}
