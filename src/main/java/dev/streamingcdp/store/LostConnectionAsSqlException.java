package dev.streamingcdp.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Wraps a connection so that a batch interrupted by a lost connection fails with an {@link SQLException}. The
 * PostgreSQL driver throws an {@link AssertionError} when the connection closes during {@code executeBatch}
 * ("getAutoCommit() should not throw"); the JDBC sink retries only SQL exceptions, so without this the task would
 * fail (and the job restart) instead of waiting for the database.
 */
final class LostConnectionAsSqlException {

    private LostConnectionAsSqlException() {}

    static Connection wrap(Connection connection) {
        if (connection == null || Proxy.isProxyClass(connection.getClass())) {
            return connection;
        }
        return proxy(Connection.class, connection, (result, method) ->
                result instanceof PreparedStatement st && method.getName().equals("prepareStatement")
                        ? proxy(PreparedStatement.class, st, (r, m) -> r) : result);
    }

    private interface ResultMapper {
        Object map(Object result, Method method);
    }

    private static <T> T proxy(Class<T> type, T target, ResultMapper mapper) {
        InvocationHandler handler = (proxy, method, args) -> {
            try {
                return mapper.map(method.invoke(target, args), method);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SQLException) {
                    throw cause;
                }
                boolean driverFailure = cause instanceof AssertionError || cause instanceof RuntimeException;
                if (method.getName().startsWith("execute") && driverFailure) {
                    throw new SQLException("the batch failed with the connection: " + cause.getMessage(), cause);
                }
                throw cause;
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
