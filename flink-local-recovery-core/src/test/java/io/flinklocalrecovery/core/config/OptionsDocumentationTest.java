/*
 * Copyright 2026 The flink-local-recovery authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.flinklocalrecovery.core.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.Description;
import org.apache.flink.configuration.description.Formatter;
import org.apache.flink.configuration.description.TextElement;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Keeps the option tables of {@code docs/configuration.md} and {@code docs/local-recovery.md} in
 * step with {@link LocalRecoveryOptions}: the table between the markers is rendered from the {@link
 * ConfigOption} declarations, and this test fails when a page says something else. Run it with
 * {@code -Ddocs.regenerate=true} to rewrite the block.
 */
class OptionsDocumentationTest {

    static final String BEGIN = "<!-- BEGIN GENERATED OPTIONS -->";
    static final String END = "<!-- END GENERATED OPTIONS -->";
    private static final String REGENERATE_PROPERTY = "docs.regenerate";

    /** The pages under {@code docs/} that carry the generated option table. */
    private static final List<String> PAGES = List.of("configuration.md", "local-recovery.md");

    @Test
    void optionTablesMatchOptionDeclarations() throws Exception {
        String expected = renderTable(optionsOf(LocalRecoveryOptions.class));
        boolean regenerate = Boolean.getBoolean(REGENERATE_PROPERTY);
        List<String> outdated = new ArrayList<>();
        for (String pageName : PAGES) {
            Path page = docsPage(pageName);
            String content = new String(Files.readAllBytes(page), StandardCharsets.UTF_8);
            int begin = content.indexOf(BEGIN);
            int end = content.indexOf(END);
            assertThat(begin)
                    .as("%s must contain the line %s followed by the line %s", page, BEGIN, END)
                    .isNotNegative()
                    .isLessThan(end);
            String actual = content.substring(begin + BEGIN.length(), end);
            if (actual.equals(expected)) {
                continue;
            }
            if (regenerate) {
                String updated =
                        content.substring(0, begin + BEGIN.length())
                                + expected
                                + content.substring(end);
                Files.write(page, updated.getBytes(StandardCharsets.UTF_8));
            } else {
                outdated.add(page.toString());
            }
        }
        if (!outdated.isEmpty()) {
            fail(
                    "The option table in %s does not match LocalRecoveryOptions. Run this test "
                            + "with -D%s=true to regenerate it, or replace the block between the "
                            + "markers with:%n%s%s%s",
                    String.join(" and ", outdated), REGENERATE_PROPERTY, BEGIN, expected, END);
        }
    }

    @Test
    void everyOptionHasADescription() throws Exception {
        for (OptionField option : optionsOf(LocalRecoveryOptions.class)) {
            assertThat(MarkdownFormatter.render(option.description()))
                    .as("description of %s", option.key())
                    .isNotBlank();
            assertThat(option.typeName()).as("type of %s", option.key()).isNotEqualTo("?");
        }
    }

    // ------------------------------------------------------------------------

    /** Maven runs tests in the module directory; {@code docs/} sits beside the modules. */
    private static Path docsPage(String name) {
        Path moduleDir = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")));
        Path page = moduleDir.resolve("..").resolve("docs").resolve(name).normalize();
        assertThat(page).as("the documentation page %s", name).isRegularFile();
        return page;
    }

    /** The public static {@link ConfigOption} fields of a class, sorted by key. */
    static List<OptionField> optionsOf(Class<?> optionsClass) throws IllegalAccessException {
        List<OptionField> options = new ArrayList<>();
        for (Field field : optionsClass.getFields()) {
            if (Modifier.isStatic(field.getModifiers())
                    && ConfigOption.class.isAssignableFrom(field.getType())) {
                options.add(new OptionField((ConfigOption<?>) field.get(null), field));
            }
        }
        options.sort(Comparator.comparing(OptionField::key));
        assertThat(options).as("options declared in %s", optionsClass.getName()).isNotEmpty();
        return options;
    }

    static String renderTable(List<OptionField> options) {
        StringBuilder table = new StringBuilder("\n");
        table.append("| Key | Default | Type | Description |\n");
        table.append("|-----|---------|------|-------------|\n");
        for (OptionField option : options) {
            table.append("| `")
                    .append(option.key())
                    .append("` | ")
                    .append(option.renderedDefault())
                    .append(" | ")
                    .append(escapeCell(option.typeName()))
                    .append(" | ")
                    .append(MarkdownFormatter.render(option.description()))
                    .append(" |\n");
        }
        return table.toString();
    }

    private static String escapeCell(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** One declared option and the field declaring it (for its generic type). */
    static final class OptionField {
        private final ConfigOption<?> option;
        private final Field field;

        OptionField(ConfigOption<?> option, Field field) {
            this.option = option;
            this.field = field;
        }

        String key() {
            return option.key();
        }

        Description description() {
            return option.description();
        }

        String renderedDefault() {
            if (!option.hasDefaultValue() || option.defaultValue() == null) {
                return "(none)";
            }
            Object value = option.defaultValue();
            String text =
                    value instanceof List
                            ? ((List<?>) value)
                                    .stream().map(String::valueOf).collect(Collectors.joining(";"))
                            : String.valueOf(value);
            return "`" + text.replace("|", "\\|") + "`";
        }

        /** The value type as written in the declaration, e.g. {@code List<String>}. */
        String typeName() {
            Type type = field.getGenericType();
            if (type instanceof ParameterizedType) {
                return simpleName(((ParameterizedType) type).getActualTypeArguments()[0]);
            }
            return "?";
        }

        private static String simpleName(Type type) {
            if (type instanceof Class) {
                Class<?> clazz = (Class<?>) type;
                return clazz.isEnum() ? "Enum" : clazz.getSimpleName();
            }
            if (type instanceof ParameterizedType) {
                ParameterizedType parameterized = (ParameterizedType) type;
                List<String> arguments = new ArrayList<>();
                for (Type argument : parameterized.getActualTypeArguments()) {
                    arguments.add(simpleName(argument));
                }
                return simpleName(parameterized.getRawType())
                        + "<"
                        + String.join(", ", arguments)
                        + ">";
            }
            return type.getTypeName();
        }
    }

    /**
     * Renders a {@link Description} for a cell of a Markdown table: code as back-ticked spans,
     * links as Markdown links, line breaks and lists as the HTML that Markdown tables allow.
     */
    static final class MarkdownFormatter extends Formatter {

        static String render(Description description) {
            return new MarkdownFormatter().format(description).trim();
        }

        @Override
        protected void formatLink(StringBuilder state, String link, String description) {
            state.append('[').append(escapeText(description)).append("](").append(link).append(')');
        }

        @Override
        protected void formatLineBreak(StringBuilder state) {
            state.append("<br>");
        }

        @Override
        protected void formatText(
                StringBuilder state,
                String format,
                String[] elements,
                EnumSet<TextElement.TextStyle> styles) {
            if (styles.contains(TextElement.TextStyle.CODE)) {
                state.append('`')
                        .append(String.format(format.replace("|", "\\|"), (Object[]) elements))
                        .append('`');
            } else {
                state.append(String.format(escapeText(format), (Object[]) elements));
            }
        }

        @Override
        protected void formatList(StringBuilder state, String[] entries) {
            state.append("<ul>");
            for (String entry : entries) {
                state.append("<li>").append(entry).append("</li>");
            }
            state.append("</ul>");
        }

        @Override
        protected Formatter newInstance() {
            return new MarkdownFormatter();
        }

        private static String escapeText(String text) {
            return text.replace("|", "\\|")
                    .replace("<", "&lt;")
                    .replace(">", "&gt;")
                    .replace("\n", "<br>");
        }
    }
}
