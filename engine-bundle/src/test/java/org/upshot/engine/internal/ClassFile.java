package org.upshot.engine.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a compiled class that name other classes, read from the class file
 * (JVMS chapter 4); JDK 17 has no public class-file API. Names are internal names
 * ({@code org/upshot/engine/internal/job/Job$Instance}).
 *
 * @param name this class
 * @param nestHost the top-level class this one is nested in (its {@code NestHost}
 *     attribute), or {@code name} for a top-level class
 * @param constants every class named by a {@code CONSTANT_Class} entry: superclass,
 *     interfaces, classes instantiated, cast to, called, caught, nested or permitted, and
 *     (javac adds these) classes whose constants were inlined
 * @param inSignatures every class named by a field or method descriptor (its own
 *     members' and those of the members it uses) or by a generic {@code Signature}
 */
record ClassFile(String name, String nestHost, Set<String> constants, Set<String> inSignatures) {

    /** Both kinds of reference. */
    SortedSet<String> references() {
        SortedSet<String> all = new TreeSet<>(constants);
        all.addAll(inSignatures);
        return all;
    }

    // Constant pool tags (JVMS table 4.4-B).
    private static final int UTF8 = 1;
    private static final int INTEGER = 3;
    private static final int FLOAT = 4;
    private static final int LONG = 5;
    private static final int DOUBLE = 6;
    private static final int CLASS = 7;
    private static final int STRING = 8;
    private static final int FIELD_REF = 9;
    private static final int METHOD_REF = 10;
    private static final int INTERFACE_METHOD_REF = 11;
    private static final int NAME_AND_TYPE = 12;
    private static final int METHOD_HANDLE = 15;
    private static final int METHOD_TYPE = 16;
    private static final int DYNAMIC = 17;
    private static final int INVOKE_DYNAMIC = 18;
    private static final int MODULE = 19;
    private static final int PACKAGE = 20;

    /**
     * A class type inside a descriptor or signature: {@code L} up to {@code ;}, {@code <}
     * (type arguments follow) or {@code .} (an inner class of a generic type follows). A
     * type variable whose name holds an {@code L} yields a stray name that is no class;
     * callers keep only names of classes they know.
     */
    private static final Pattern CLASS_TYPE = Pattern.compile("L([^;<.]+)");

    static ClassFile read(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version

        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] tag = new int[count];
        int[] first = new int[count]; // the first (or only) index an entry holds
        int[] second = new int[count];
        for (int i = 1; i < count; i++) {
            tag[i] = in.readUnsignedByte();
            switch (tag[i]) {
                case UTF8 -> utf8[i] = in.readUTF(); // the class file's modified UTF-8 is readUTF's
                case INTEGER, FLOAT -> in.readInt();
                case LONG, DOUBLE -> {
                    in.readLong();
                    i++; // eight-byte constants take two entries (JVMS 4.4.5)
                }
                case CLASS, STRING, METHOD_TYPE, MODULE, PACKAGE -> first[i] = in.readUnsignedShort();
                case FIELD_REF, METHOD_REF, INTERFACE_METHOD_REF, NAME_AND_TYPE, DYNAMIC, INVOKE_DYNAMIC -> {
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                }
                case METHOD_HANDLE -> {
                    in.readUnsignedByte(); // reference kind
                    first[i] = in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag[i] + " at " + i);
            }
        }

        Set<String> constants = new TreeSet<>();
        List<String> descriptors = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            switch (tag[i]) {
                case CLASS -> {
                    String name = utf8[first[i]];
                    if (name.startsWith("[")) {
                        descriptors.add(name); // an array class is named by its descriptor
                    } else {
                        constants.add(name);
                    }
                }
                case NAME_AND_TYPE -> descriptors.add(utf8[second[i]]);
                case METHOD_TYPE -> descriptors.add(utf8[first[i]]);
                default -> { }
            }
        }

        in.readUnsignedShort(); // access flags
        String name = utf8[first[in.readUnsignedShort()]];
        in.readUnsignedShort(); // super class: a CONSTANT_Class, seen above
        in.skipBytes(2 * in.readUnsignedShort()); // interfaces: CONSTANT_Class entries too

        String[] nestHost = {name};
        for (int members = 0; members < 2; members++) { // fields, then methods
            int memberCount = in.readUnsignedShort();
            for (int m = 0; m < memberCount; m++) {
                in.readUnsignedShort(); // access flags
                in.readUnsignedShort(); // name
                descriptors.add(utf8[in.readUnsignedShort()]);
                readAttributes(in, utf8, first, descriptors, nestHost);
            }
        }
        readAttributes(in, utf8, first, descriptors, nestHost);

        Set<String> inSignatures = new TreeSet<>();
        for (String descriptor : descriptors) {
            Matcher type = CLASS_TYPE.matcher(descriptor);
            while (type.find()) {
                inSignatures.add(type.group(1));
            }
        }
        constants.remove(name);
        inSignatures.remove(name);
        return new ClassFile(name, nestHost[0], constants, inSignatures);
    }

    /** Keeps generic signatures and the nest host; skips every other attribute. */
    private static void readAttributes(DataInputStream in, String[] utf8, int[] first,
            List<String> descriptors, String[] nestHost) throws IOException {
        int count = in.readUnsignedShort();
        for (int a = 0; a < count; a++) {
            String attribute = utf8[in.readUnsignedShort()];
            int length = in.readInt();
            switch (attribute) {
                case "Signature" -> descriptors.add(utf8[in.readUnsignedShort()]);
                case "NestHost" -> nestHost[0] = utf8[first[in.readUnsignedShort()]];
                default -> in.readNBytes(length);
            }
        }
    }
}
