package dev.vmtrust.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The {@code mode: system} provision scripts of a colima.yaml / lima.yaml, as Lima would run them at boot. */
final class ProvisionScripts {
    private ProvisionScripts() {}

    @SuppressWarnings("unchecked")
    static List<String> systemScripts(Path yaml) throws IOException {
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(yaml));
        return ((List<Map<String, Object>>) doc.get("provision"))
                .stream()
                        .filter(e -> "system".equals(e.get("mode")))
                        .map(e -> (String) e.get("script"))
                        .toList();
    }
}
