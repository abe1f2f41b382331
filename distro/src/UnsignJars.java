import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites each jar named on the command line without its signature files
 * (META-INF/*.SF, *.RSA, *.DSA, *.EC), keeping every other entry, its order and time.
 * assemble.sh runs it (java's source launcher, no build step) on lib/graph/: Eclipse signs
 * ELK's and EMF's jars, and a class loader checks every class of a signed jar against its
 * digest, a third of initctl graph's start-up (bench/README.md, "initctl graph").
 */
public final class UnsignJars {

    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)");

    public static void main(String[] jars) throws IOException {
        for (String name : jars) {
            Path jar = Path.of(name);
            Path unsigned = jar.resolveSibling(jar.getFileName() + ".unsigned");
            try (InputStream file = Files.newInputStream(jar);
                    ZipInputStream in = new ZipInputStream(file);
                    OutputStream outFile = Files.newOutputStream(unsigned);
                    ZipOutputStream out = new ZipOutputStream(outFile)) {
                for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    if (!SIGNATURE.matcher(entry.getName()).matches()) {
                        ZipEntry copy = new ZipEntry(entry.getName());
                        copy.setTime(entry.getTime());
                        out.putNextEntry(copy);
                        in.transferTo(out);
                        out.closeEntry();
                    }
                }
            }
            Files.move(unsigned, jar, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
