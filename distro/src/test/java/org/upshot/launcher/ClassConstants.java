package org.upshot.launcher;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The string literals of a class file: its {@code CONSTANT_String} entries (JVMS 4.4),
 * which hold every {@code ldc} of a string, every constant field's value and every
 * string bootstrap argument (string concatenation recipes among them). Names of classes,
 * fields and methods are {@code CONSTANT_Utf8} entries only and are not returned.
 */
final class ClassConstants {
    private static final int MAGIC = 0xCAFEBABE;

    private ClassConstants() {
    }

    static List<String> strings(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        if (in.readInt() != MAGIC) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> strings = new ArrayList<>();
        for (int index = 1; index < count; index++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[index] = in.readUTF();
                case 8 -> strings.add(in.readUnsignedShort());
                case 7, 16, 19, 20 -> in.skipNBytes(2); // Class, MethodType, Module, Package
                case 15 -> in.skipNBytes(3); // MethodHandle
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4); // Integer, Float, refs, NameAndType, (Invoke)Dynamic
                case 5, 6 -> { // Long and Double take two entries
                    in.skipNBytes(8);
                    index++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + index);
            }
        }
        List<String> literals = new ArrayList<>();
        for (int index : strings) {
            literals.add(utf8[index]);
        }
        return literals;
    }
}
