package watchtower.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import watchtower.testing.Repo;

/**
 * personas/*.json: the reference's permissions and effort, with Watchtower's http hooks on
 * every event, exactly the hooks {@code wtctl hooks install --mode http} writes. (That the
 * real client accepts each file is checked in ClaudeCodeE2ETest.)
 */
class PersonasTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> PERSONAS = List.of("auto", "professional", "spike", "sport");

    @TempDir
    Path dir;

    @Test
    void everyPersonaHooksEveryEventExactlyAsTheInstallerDoes() throws Exception {
        var spec = HookSpec.http("http://127.0.0.1:4200").hooksByEvent();
        for (var name : PERSONAS) {
            var persona = read(name);
            var hooks = persona.path("hooks");
            assertEquals(List.copyOf(spec.keySet()), names(hooks), name + ": every event but WorktreeCreate, in order");
            for (var e : spec.entrySet()) {
                assertEquals(JSON.valueToTree(List.of(Map.of("hooks", e.getValue()))), hooks.path(e.getKey()),
                        name + " " + e.getKey());
            }
            var status = HooksInstaller.status(personaFile(name));
            assertEquals(List.of(), status.missingEvents(), name);
            assertEquals(0, status.userHooks(), name + ": no leftover reference bash hooks");
        }
    }

    @Test
    void personasKeepTheReferencesPermissionsAndEffort() throws Exception {
        var expected = Map.of(
                "auto", new String[] {"auto", "xhigh", "max"},
                "professional", new String[] {"default", "high", null},
                "spike", new String[] {"default", "xhigh", "max"},
                "sport", new String[] {"default", "high", null});
        for (var name : PERSONAS) {
            var persona = read(name);
            var want = expected.get(name);
            assertEquals(want[0], persona.path("permissions").path("defaultMode").asText(),
                    name + ": manual mode where a person approves (2.1.330 defaults to auto, where no PermissionRequest fires)");
            assertEquals(want[1], persona.path("effortLevel").asText(), name);
            assertEquals(want[2], persona.path("env").path("CLAUDE_CODE_EFFORT_LEVEL").textValue(),
                    name + ": 'max' is not persistable as effortLevel in 2.1.330, only through the environment");
            assertTrue(persona.path("permissions").path("allow").size() > 30, name);
            assertTrue(contains(persona.path("permissions").path("deny"), "Bash(rm -rf /)"), name);
            assertFalse(persona.has("effort"), name + ": 2.1.330 has no 'effort' setting (it is effortLevel)");
        }
        assertEquals("claude-opus-4-6", read("spike").path("model").asText());
        assertEquals("claude-sonnet-4-6", read("sport").path("model").asText());
    }

    @Test
    void noPersonaHoldsASecret() throws Exception {
        for (var name : PERSONAS) {
            var text = Files.readString(personaFile(name));
            assertTrue(text.contains("\"X-UVS-Token\": \"$UVS_TOKEN\""), name);
            assertFalse(text.matches("(?s).*[0-9a-f]{32}.*"), name + ": nothing that looks like a token");
        }
    }

    @Test
    void aPersonaCanBePointedAtAnotherServer() throws Exception {
        var text = HooksInstaller.personaFor(personaFile("professional"), "http://127.0.0.1:4999");
        assertFalse(text.contains("4200"), "every hook moved, the curl one too");
        var copy = dir.resolve("professional.json");
        Files.writeString(copy, text);
        var status = HooksInstaller.status(copy);
        assertEquals(List.of("http://127.0.0.1:4999"), status.servers());
        assertEquals(List.of(), status.missingEvents());
        assertEquals(read("professional").path("permissions"), JSON.readTree(text).path("permissions"));
    }

    // --- infra ---

    static Path personaFile(String name) {
        return Repo.root().resolve("personas").resolve(name + ".json");
    }

    static JsonNode read(String name) throws Exception {
        return JSON.readTree(Files.readString(personaFile(name)));
    }

    static List<String> names(JsonNode object) {
        var out = new java.util.ArrayList<String>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static boolean contains(JsonNode array, String value) {
        for (var v : array) if (v.asText().equals(value)) return true;
        return false;
    }
}
