package dev.vmtrust.doctor;

import dev.vmtrust.trust.CaBundle;
import dev.vmtrust.vm.LivePlan;
import dev.vmtrust.vm.Planner;
import dev.vmtrust.vm.TargetRef;
import dev.vmtrust.vm.VmObservation;
import dev.vmtrust.vm.provision.ProvisionFile;
import dev.vmtrust.vm.provision.ProvisionYamlException;
import dev.vmtrust.vm.script.ScriptError;
import dev.vmtrust.vm.script.ScriptOutput;
import dev.vmtrust.vm.script.ScriptResult;
import dev.vmtrust.vm.script.VmScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Judges what one VM showed: {@code sudo}, {@code trust-tool}, {@code stamp}, {@code restart-pending}
 * from the observe run (and the probe script's tool line), and {@code persisted} from the provision YAML.
 * Pure apart from reading the YAML file.
 */
final class VmChecks {
    private final boolean persist;

    VmChecks(boolean persist) {
        this.persist = persist;
    }

    List<Check> observed(
            TargetRef t, ScriptResult seen, CaBundle set, VmProbeScript.Result probed, String probeProblem) {
        String n = t.name();
        List<Check> out = new ArrayList<>();
        Optional<ScriptError> err = seen.error();
        if (seen.sudoPasswordRequired()
                || err.map(e -> e.code().equals("sudo-password")).orElse(false)) {
            out.add(Check.fail(
                    "sudo",
                    n,
                    ScriptOutput.SUDO_PASSWORD_MESSAGE,
                    "allow passwordless sudo for the VM user, or recreate the VM with " + t.startHint()));
            return out;
        }
        out.add(Check.ok("sudo", n, "passwordless sudo works"));
        if (err.isPresent() && err.get().code().equals("unknown-distro")) {
            out.add(Check.fail(
                    "trust-tool",
                    n,
                    err.get().message(),
                    "use a Debian, Ubuntu, Alpine, RHEL-family, openSUSE or Arch VM"));
            return out;
        }
        if (err.isPresent()) {
            out.add(Check.fail("stamp", n, "cannot observe the VM: " + err.get().message(), hint(t, err.get())));
            return out;
        }
        out.add(trustTool(n, seen.distro().orElse("?"), probed, probeProblem));
        out.add(stamp(n, seen, set));
        out.add(restartPending(n, seen));
        return out;
    }

    private static String hint(TargetRef t, ScriptError e) {
        return e.code().equals("lock-timeout")
                ? "another vmtrust run is busy in the VM; try again in a minute"
                : t.restartHint();
    }

    private static Check trustTool(String n, String family, VmProbeScript.Result probed, String problem) {
        if (probed == null || probed.tool().isEmpty()) {
            return Check.warn(
                    "trust-tool",
                    n,
                    "distro " + family + "; cannot tell whether its trust tool is installed"
                            + (problem == null ? "" : ": " + problem),
                    null);
        }
        String tool = probed.tool().get();
        if (probed.toolFound()) return Check.ok("trust-tool", n, "distro " + family + ", " + tool + " found");
        String pkg = family.equals("arch") ? "p11-kit" : "ca-certificates";
        return Check.fail(
                "trust-tool",
                n,
                "distro " + family + ", but " + tool + " is not installed",
                "install the " + pkg + " package in the VM");
    }

    private static Check stamp(String n, ScriptResult seen, CaBundle set) {
        if (set.isEmpty()) return Check.warn("stamp", n, "not compared: the CA set is empty", null);
        Set<String> files = new HashSet<>(seen.files());
        files.removeAll(seen.differs()); // a file whose content differs counts as missing, as in LiveSync
        Optional<String> stamp = seen.stamp().filter(s -> !s.equals("none"));
        LivePlan plan = Planner.plan(set, new VmObservation(stamp, files, seen.restartPendingRecorded()));
        if (plan instanceof LivePlan.Change c) {
            return Check.fail(
                    "stamp",
                    n,
                    "the VM's trust store differs from the CA set: stamp "
                            + stamp.map(s -> "sha256:" + s).orElse("none") + ", want " + set.label() + "; "
                            + c.add().size() + " to add, " + c.remove().size() + " to remove",
                    "vmtrust sync");
        }
        return Check.ok("stamp", n, "the VM trusts the CA set " + set.label());
    }

    private static Check restartPending(String n, ScriptResult seen) {
        if (seen.restartPendingRecorded().isEmpty()) {
            return Check.ok(
                    "restart-pending",
                    n,
                    "no engine restart pending"
                            + (seen.engines().isEmpty()
                                    ? ""
                                    : " (engines: " + String.join(", ", seen.engines()) + ")"));
        }
        return Check.warn(
                "restart-pending",
                n,
                "restart pending: " + String.join(", ", seen.restartPendingRecorded())
                        + " still use the CAs they loaded at start",
                "vmtrust sync --restart always (running containers stop), or restart them yourself");
    }

    /** Our provision entry in the profile's colima.yaml / the instance's lima.yaml: present and current. */
    Check persisted(TargetRef t, CaBundle set, String script) {
        String n = t.name();
        if (!persist) return Check.ok("persisted", n, "not checked (targets.persist: false)");
        Path f = t.configFile();
        if (!Files.exists(f))
            return Check.warn(
                    "persisted",
                    n,
                    f + " does not exist yet; the provision entry is written once it does",
                    t.startHint() + ", then vmtrust sync");
        Optional<String> current;
        try {
            current = new ProvisionFile(f).currentScript();
        } catch (ProvisionYamlException e) {
            return Check.fail("persisted", n, e.getMessage(), "fix the YAML; vmtrust changes only its own entry");
        } catch (IOException e) {
            return Check.fail(
                    "persisted", n, f + ": cannot read it (" + e.getMessage() + ")", "check its owner and permissions");
        }
        if (current.isEmpty())
            return Check.fail(
                    "persisted",
                    n,
                    "no vmtrust provision entry in " + f + "; a recreated VM would not trust the CA set",
                    "vmtrust sync");
        if (set.isEmpty())
            return Check.warn("persisted", n, "entry present in " + f + "; not compared: the CA set is empty", null);
        if (current.get().equals(script))
            return Check.ok("persisted", n, "the provision entry in " + f + " is current");
        String has =
                VmScript.markerBundle(current.get()).map(h -> "sha256:" + h).orElse("unknown");
        return Check.fail(
                "persisted",
                n,
                "the provision entry in " + f + " is outdated (CA set " + has + ", want " + set.label() + ")",
                "vmtrust sync");
    }
}
