package dev.vmtrust.agent;

import dev.vmtrust.config.Config;
import dev.vmtrust.platform.Environment;
import dev.vmtrust.platform.Os;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Configs for watch tests: defaults with the parts under test replaced. */
final class Configs {
    private Configs() {}

    static Environment env(Path home, Os os, String... vars) {
        var m = new java.util.HashMap<String, String>(Map.of("HOME", home.toString()));
        for (int i = 0; i + 1 < vars.length; i += 2) m.put(vars[i], vars[i + 1]);
        return new Environment(m, os);
    }

    /** Keychain off, the given cert files, explicit Colima and Lima homes (null = disabled). */
    static Config config(Environment env, List<Path> files, Path colimaHome, Path limaHome) {
        Config d = Config.defaults(env.home().resolve(".config/vmtrust/config.yaml"), env);
        Config.Sources s = d.sources();
        Config.Keychain off = new Config.Keychain(
                Config.Toggle.OFF,
                s.keychain().command(),
                s.keychain().keychains(),
                s.keychain().trustedOnly());
        return withTargets(
                withSources(
                        d,
                        new Config.Sources(off, files, false, Config.Toggle.OFF, s.publicRoots(), s.excludePublic())),
                new Config.Targets(
                        new Config.Colima(colimaHome != null, colimaHome, List.of(), false),
                        new Config.Lima(limaHome != null, limaHome, List.of()),
                        true));
    }

    /** The defaults with the keychain source forced on (auto would look for /usr/bin/security on this host). */
    static Config keychainOn(Config c) {
        Config.Sources s = c.sources();
        Config.Keychain k = s.keychain();
        return withSources(
                c,
                new Config.Sources(
                        new Config.Keychain(Config.Toggle.ON, k.command(), k.keychains(), k.trustedOnly()),
                        s.files(),
                        s.vendorFiles(),
                        s.host(),
                        s.publicRoots(),
                        s.excludePublic()));
    }

    static Config withSources(Config c, Config.Sources s) {
        return new Config(
                c.file(),
                s,
                c.include(),
                c.exclude(),
                c.targets(),
                c.ssh(),
                c.restart(),
                c.notifications(),
                c.resync(),
                c.doctor());
    }

    static Config withTargets(Config c, Config.Targets t) {
        return new Config(
                c.file(),
                c.sources(),
                c.include(),
                c.exclude(),
                t,
                c.ssh(),
                c.restart(),
                c.notifications(),
                c.resync(),
                c.doctor());
    }
}
