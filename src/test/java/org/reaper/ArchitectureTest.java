package org.reaper;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reaper.backend.Backend;

/**
 * Keeps ARCHITECTURE.md true. Its package table is the layering rule itself: every row names a package
 * (or one class, {@code backend.Backends}) and the rows above it that it may import; this test reads that
 * table and checks every dependency of the compiled main classes against it (ArchUnit reads the class
 * files, so an import, a fully qualified name, a field type or a call all count; comments do not). Also:
 * the table only points upward in the file (layers import downward), only {@code backend.cuda} touches
 * JCuda, nothing outside {@code cli} touches {@code cli}, and every repository path the guide names exists.
 */
class ArchitectureTest {
    private static final Path GUIDE = Path.of("ARCHITECTURE.md");
    private static final String ROOT = "org.reaper";
    /** A table row: | `unit` | job | `a`, `b` or — | */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-zA-Z.]+)`\\s*\\|[^|]*\\|([^|]*)\\|\\s*$");
    private static final Pattern TICKED = Pattern.compile("`([^`\\s]+)`");

    private static JavaClasses classes;
    /** unit -> units it may import, in table order (a unit is a package relative to org.reaper, or a class). */
    private static Map<String, Set<String>> table;

    @BeforeAll
    static void load() throws IOException, URISyntaxException {
        Path main = Path.of(Backend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        classes = new ClassFileImporter().importPath(main);
        table = packageTable(Files.readAllLines(GUIDE));
    }

    @Test
    void theTableOnlyPointsDownward() {
        List<String> seen = new ArrayList<>();
        for (Map.Entry<String, Set<String>> row : table.entrySet()) {
            for (String dep : row.getValue())
                assertTrue(seen.contains(dep), "ARCHITECTURE.md: `" + row.getKey() + "` may import `" + dep
                        + "`, which is not a row above it (layers import only downward)");
            seen.add(row.getKey());
        }
        assertTrue(table.size() >= 15, "ARCHITECTURE.md's package table looks cut short: " + table.keySet());
        assertTrue(table.containsKey("cli") && table.containsKey("backend.cuda"), "table lacks cli or backend.cuda: " + table.keySet());
    }

    @Test
    void everyTablePackageExistsAndEveryPackageIsInTheTable() {
        Set<String> packages = new TreeSet<>();
        for (JavaClass c : classes) if (!c.getPackageName().equals(ROOT)) packages.add(relative(c.getPackageName()));
        for (String unit : table.keySet())
            if (!isClassUnit(unit)) assertTrue(packages.contains(unit), "ARCHITECTURE.md names package `" + unit + "`, which has no classes");
        for (String p : packages)
            assertTrue(table.containsKey(p), "package org.reaper." + p + " is not in ARCHITECTURE.md's package table: add a row"
                    + " (its job, what it may import) where it belongs in the layering");
    }

    @Test
    void everyDependencyIsAllowedByTheTable() {
        Set<String> violations = new LinkedHashSet<>();
        int checked = 0;
        for (JavaClass c : classes) {
            String from = unitOf(c);
            if (from == null) continue;                      // org.reaper itself (ReaperException) imports nothing of ours
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass();
                if (target.isArray()) target = target.getBaseComponentType();
                if (!target.getName().startsWith(ROOT + ".")) continue;
                checked++;
                String to = unitOf(target);
                if (to == null || to.equals(from) || table.get(from).contains(to)) continue;
                violations.add("`" + from + "` may not import `" + to + "`: " + d.getDescription());
            }
        }
        assertTrue(checked > 1000, "too few dependencies seen (" + checked + "): were the main classes found?");
        if (!violations.isEmpty())
            fail(violations.size() + " dependencies break ARCHITECTURE.md's package table:\n  " + String.join("\n  ", violations));
    }

    @Test
    void onlyBackendCudaImportsJcuda() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".backend.cuda")
                .should().dependOnClassesThat().resideInAPackage("jcuda..")
                .because("backend/cuda is the only package that talks to the CUDA driver (a GPU's, or the CPU stand-in's)")
                .check(classes);
        // not vacuous: the CUDA backend does use JCuda
        assertTrue(classes.stream().filter(c -> c.getPackageName().equals(ROOT + ".backend.cuda"))
                .anyMatch(c -> c.getDirectDependenciesFromSelf().stream().anyMatch(d -> d.getTargetClass().getPackageName().startsWith("jcuda"))));
    }

    @Test
    void nothingOutsideCliImportsCli() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".cli")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".cli")
                .because("the core never depends on the command line; cli commands parse, call and print")
                .check(classes);
    }

    @Test
    void everyPathTheGuideNamesExists() throws IOException {
        List<String> missing = new ArrayList<>();
        int paths = 0;
        for (String token : tickedTokens(Files.readString(GUIDE))) {
            String path = token, member = null;
            int hash = token.indexOf('#');
            if (hash > 0) { path = token.substring(0, hash); member = token.substring(hash + 1); }
            if (!looksLikeRepoPath(path)) continue;
            paths++;
            List<Path> found = resolve(path);
            if (found.isEmpty()) { missing.add(token + " (no such file)"); continue; }
            if (member != null) {
                boolean has = false;
                for (Path f : found) if (Files.isRegularFile(f) && Files.readString(f).contains(member)) has = true;
                if (!has) missing.add(token + " (" + path + " does not mention " + member + ")");
            }
        }
        assertTrue(paths >= 30, "ARCHITECTURE.md names only " + paths + " paths: was the guide read?");
        assertEquals(List.of(), missing, "ARCHITECTURE.md names paths that do not exist");
    }

    @Test
    void pathRecognitionSkipsWhatIsNotARepositoryPath() {
        assertTrue(looksLikeRepoPath("src/main/java/org/reaper/backend/Backend.java"));
        assertTrue(looksLikeRepoPath("native-kernels/*.cu"));
        assertTrue(looksLikeRepoPath("README.md"));
        assertFalse(looksLikeRepoPath("runs/<name>/config.json"));   // what a run writes, not the repository's
        assertFalse(looksLikeRepoPath("target/reaper.jar"));         // build output
        assertFalse(looksLikeRepoPath("backend.cuda"));              // a package name
        assertFalse(looksLikeRepoPath("S1/S2"));
    }

    // ---------------------------------------------------------------- helpers

    /** The "may import" table: the rows of the first table whose header starts with "| package". */
    static Map<String, Set<String>> packageTable(List<String> lines) {
        Map<String, Set<String>> rows = new LinkedHashMap<>();
        boolean in = false;
        for (String line : lines) {
            if (!in) { in = line.startsWith("| package"); continue; }
            if (!line.startsWith("|")) break;
            Matcher m = ROW.matcher(line);
            if (line.startsWith("|-") || line.startsWith("|--") || line.matches("^\\|[-| :]+$")) continue;
            if (!m.matches()) throw new AssertionError("ARCHITECTURE.md: cannot read table row: " + line);
            Set<String> deps = new LinkedHashSet<>();
            Matcher t = TICKED.matcher(m.group(2));
            while (t.find()) deps.add(t.group(1));
            if (rows.put(m.group(1), deps) != null) throw new AssertionError("ARCHITECTURE.md: row `" + m.group(1) + "` twice");
        }
        if (rows.isEmpty()) throw new AssertionError("ARCHITECTURE.md: no table with a header starting \"| package\"");
        return rows;
    }

    private static boolean isClassUnit(String unit) {
        String last = unit.substring(unit.lastIndexOf('.') + 1);
        return Character.isUpperCase(last.charAt(0));
    }

    private static String relative(String pkg) { return pkg.substring(ROOT.length() + 1); }

    /** The table unit a class belongs to: a class row (with its nested classes) wins over its package. */
    private static String unitOf(JavaClass c) {
        String name = c.getName();
        for (String unit : table.keySet()) {
            if (!isClassUnit(unit)) continue;
            String fq = ROOT + "." + unit;
            if (name.equals(fq) || name.startsWith(fq + "$")) return unit;
        }
        return c.getPackageName().equals(ROOT) ? null : relative(c.getPackageName());
    }

    private static List<String> tickedTokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TICKED.matcher(text);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** A repository path: has a slash or a file suffix; not a placeholder, a URL, a flag or build/run output. */
    static boolean looksLikeRepoPath(String s) {
        if (s.contains("<") || s.contains("://") || s.startsWith("-") || s.startsWith("target") || s.startsWith("runs/")) return false;
        if (s.contains("/")) return Character.isLowerCase(s.charAt(0)) || s.startsWith(".") || (Character.isUpperCase(s.charAt(0)) && s.contains("."));
        return s.matches("[A-Za-z0-9_.-]+\\.(md|java|cu|cuh|sh|py|xml|h|cpp)");
    }

    /** Files or folders a path (possibly with a * in its last part) names. */
    private static List<Path> resolve(String path) throws IOException {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (!p.contains("*")) return Files.exists(Path.of(p)) ? List.of(Path.of(p)) : List.of();
        Path dir = Path.of(p).getParent();
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + Path.of(p).getFileName());
        if (dir == null || !Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) { return s.filter(f -> glob.matches(f.getFileName())).toList(); }
    }
}
