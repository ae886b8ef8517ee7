package dev.quilt.zdb.command;

import dev.quilt.zdb.resp.RespValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTH: plain password, or a challenge-response ({@code AUTH SECURE CHALLENGE} gives a nonce, then
 * {@code AUTH SECURE <hex(sha1(nonce ":" password))>}). Confined to the event loop.
 */
final class AuthCommands {

    private static final Logger LOG = LoggerFactory.getLogger(AuthCommands.class);

    static final int MAX_ADMIN_PASSWORD_LENGTH = 128;

    private final CommandEnvironment env;

    AuthCommands(CommandEnvironment env) {
        this.env = env;
    }

    Reply auth(Session session, Arguments args) {
        if (args.count() == 2) {
            if (env.adminPassword().isEmpty()) {
                return Reply.error("Authentication disabled");
            }
            if (args.length(1) > MAX_ADMIN_PASSWORD_LENGTH) {
                return Reply.error("Password too long");
            }
            return grant(session, env.adminPassword().get().equals(args.string(1)));
        }
        if (args.count() != 3) {
            return Reply.error("Unexpected arguments");
        }
        if (!args.isPrefixOf(1, "SECURE")) {
            return Reply.error("Only SECURE extra method supported");
        }
        if (args.isPrefixOf(2, "CHALLENGE")) {
            byte[] nonce = new byte[8];
            env.random().nextBytes(nonce);
            session.nonce(HexFormat.of().formatHex(nonce));
            return Reply.of(RespValue.simple(session.nonce()));
        }
        if (env.adminPassword().isEmpty()) {
            return Reply.error("Authentication disabled");
        }
        String nonce = session.nonce();
        if (nonce == null) {
            return Reply.error("No CHALLENGE requested, secure authentication not available");
        }
        if (args.length(2) != 40) {
            return Reply.error("Invalid hash length");
        }
        session.nonce(null);
        return grant(session, secureHash(nonce, env.adminPassword().get()).equals(args.string(2)));
    }

    private Reply grant(Session session, boolean granted) {
        if (!granted) {
            LOG.info("event=auth_denied {}", session);
            return Reply.error("Access denied");
        }
        session.admin(true);
        LOG.info("event=auth_granted {}", session);
        return Reply.ok();
    }

    /** Lowercase hex of {@code sha1(nonce + ":" + password)}. */
    static String secureHash(String nonce, String password) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(sha1.digest((nonce + ":" + password).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-1", e);
        }
    }
}
