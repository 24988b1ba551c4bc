package goldenbell.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.graphdb.Transaction;
import org.neo4j.io.locker.FileLockException;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.Version;

/**
 * Runs Neo4j Community embedded, reachable only over Bolt on 127.0.0.1.
 *
 * <p>The Python side (goldenbell db start) owns process management: it passes every
 * setting as a --name=value argument, waits for the READY line on stdout and stops
 * the process with SIGTERM, which the shutdown hook turns into a clean shutdown so
 * the next start needs no recovery.
 */
public final class LocalNeo4j {

    static final String READY = "GOLDENBELL-NEO4J READY";
    static final String REFUSED = "GOLDENBELL-NEO4J REFUSED";
    static final String FAILED = "GOLDENBELL-NEO4J FAILED";
    private static final String PASSWORD_ALPHABET =
            "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private LocalNeo4j() {}

    public static void main(String[] argv) {
        try {
            run(argv);
        } catch (Exception | Error e) {
            // Neo4j's own threads would keep a JVM alive after main fails; say why and leave.
            e.printStackTrace(System.out);
            System.out.println(FAILED + " " + e);
            System.out.flush();
            System.exit(1);
        }
    }

    private static void run(String[] argv) throws Exception {
        Map<String, String> args = parseArgs(argv);
        Path home = Path.of(required(args, "home")).toAbsolutePath();
        int port = Integer.parseInt(args.getOrDefault("port", "7687"));
        Path passwordFile = Path.of(required(args, "password-file")).toAbsolutePath();

        Files.createDirectories(home);
        String password = readOrCreatePassword(passwordFile);

        DatabaseManagementService dbms;
        try {
            dbms = build(home, port, args);
        } catch (RuntimeException e) {
            if (causedBy(e, FileLockException.class)) {
                System.out.println(REFUSED + " the store at " + home
                        + " is already in use by another Neo4j process (its store_lock is held)");
                System.exit(3);
            }
            throw e;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("GOLDENBELL-NEO4J STOPPING");
            dbms.shutdown();
            System.out.println("GOLDENBELL-NEO4J STOPPED");
            stopped.countDown();
        }, "goldenbell-shutdown"));

        setPassword(dbms, password);
        waitForBolt(port, Duration.ofSeconds(60));
        System.out.println(READY + " bolt://127.0.0.1:" + port
                + " version=" + Version.getNeo4jVersion() + " home=" + home);
        System.out.flush();
        stopped.await();
    }

    private static DatabaseManagementService build(Path home, int port, Map<String, String> args) {
        return new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory,
                        bytes(args.getOrDefault("pagecache", "512m")))
                .setConfig(GraphDatabaseSettings.transaction_timeout,
                        Duration.ofMillis(Long.parseLong(args.getOrDefault("tx-timeout-ms", "120000"))))
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size,
                        bytes(args.getOrDefault("tx-memory", "1g")))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size,
                        bytes(args.getOrDefault("tx-memory-global", "2g")))
                // LOAD CSV may read files only from this folder (the application itself never
                // uses LOAD CSV; the benchmark compares against it).
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, home.resolve("import"))
                // Preallocated transaction logs cost 250 MB of disk per database up front.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Neo4j keeps two days of transaction logs by default: a city-scale import
                // writes tens of gigabytes of them in an hour and fills the disk. Community
                // has no online backup to replay them; keep a bounded amount instead, pruned
                // at each checkpoint.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, args.getOrDefault("tx-log-keep", "1G size"))
                // Netty's default quiet period makes every stop wait about ten seconds with
                // nothing left to do; the databases are already checkpointed by then.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Embedded Neo4j has no set-initial-password step, but its system database
     * accepts administration commands from in-process transactions, which run
     * with full rights. Setting the password on every start keeps the store and
     * the password file in step even after the file was replaced.
     */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        // Its own timeout: a short db.transaction.timeout must not stop the server starting.
        try (Transaction tx = dbms.database("system").beginTx(5, TimeUnit.MINUTES)) {
            tx.execute("ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password))
                    .close();
            tx.commit();
        } catch (QueryExecutionException e) {
            // The store already has this password: nothing to change.
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
        }
    }

    private static String readOrCreatePassword(Path file) throws IOException {
        if (Files.exists(file)) {
            String existing = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (existing.length() < 8) {
                throw new IllegalStateException("password file " + file + " holds fewer than 8 characters");
            }
            return existing;
        }
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            sb.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        String password = sb.toString();
        Files.createDirectories(file.getParent());
        try {
            // Created owner-only from the start, so the secret is never readable by others.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException raced) {
            return readOrCreatePassword(file);
        }
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        return password;
    }

    private static void waitForBolt(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("Bolt did not answer on 127.0.0.1:" + port + " within " + timeout);
    }

    private static long bytes(String size) {
        return ByteUnit.parse(size);
    }

    private static Map<String, String> parseArgs(String[] argv) {
        Map<String, String> out = new HashMap<>();
        for (String arg : argv) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got: " + arg);
            }
            int eq = arg.indexOf('=');
            out.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return out;
    }

    private static String required(Map<String, String> args, String name) {
        String value = args.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing required argument --" + name + "=...");
        }
        return value;
    }
}
