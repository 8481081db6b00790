package io.reactiveice.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.JavaTypeVariable;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.lang.module.ModuleDescriptor;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The boundary between API and internals, as an ArchUnit rule that both library modules check: no type of
 * an {@code io.reactiveice.internal} package may appear in what a public type of an API package shows to its
 * users: its superclass and interfaces, the fields, constructors and methods it makes public or protected
 * (their types, parameters, return types, thrown exceptions and type parameter bounds), generic arguments
 * included. A user who compiles against the API never has to name an internal type.
 */
public final class ApiBoundary {
    /** The package prefix that is not API. */
    public static final String INTERNAL = "io.reactiveice.internal";

    private ApiBoundary() {
    }

    /** @return the rule: public types of API packages show no internal type in a public or protected signature */
    public static ArchRule noInternalTypeInApiSignatures() {
        return classes().that(API_TYPES).should(SHOW_NO_INTERNAL_TYPE)
                .because("io.reactiveice.internal.. is not API and must not leak into a public signature");
    }

    static final DescribedPredicate<JavaClass> API_TYPES = DescribedPredicate.describe(
            "are public types of an API package", ApiBoundary::isApiType);

    private static boolean isApiType(JavaClass c) {
        if (!c.getPackageName().startsWith("io.reactiveice") || isInternal(c) || c.isAnonymousClass()
                || c.isLocalClass()) {
            return false;
        }
        for (Optional<JavaClass> k = Optional.of(c); k.isPresent(); k = k.get().getEnclosingClass()) {
            if (!k.get().getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isInternal(JavaClass c) {
        JavaClass base = c.isArray() ? c.getBaseComponentType() : c;
        return base.getPackageName().equals(INTERNAL) || base.getPackageName().startsWith(INTERNAL + ".");
    }

    private static boolean visible(JavaMember m) {
        return !m.getModifiers().contains(JavaModifier.SYNTHETIC) && !m.getModifiers().contains(JavaModifier.BRIDGE)
                && (m.getModifiers().contains(JavaModifier.PUBLIC) || m.getModifiers().contains(JavaModifier.PROTECTED));
    }

    static final ArchCondition<JavaClass> SHOW_NO_INTERNAL_TYPE = new ArchCondition<>(
            "show no type of io.reactiveice.internal.. in a public or protected signature") {
        @Override
        public void check(JavaClass c, ConditionEvents events) {
            c.getSuperclass().ifPresent(t -> report(c, "extends", List.of(t), events));
            report(c, "implements", c.getInterfaces(), events);
            report(c, "type parameter", bounds(c.getTypeParameters()), events);
            for (JavaField f : c.getFields()) {
                if (visible(f)) {
                    report(c, "field " + f.getName(), List.of(f.getType()), events);
                }
            }
            for (JavaCodeUnit u : c.getCodeUnits()) {
                if (!visible(u)) {
                    continue;
                }
                String where = (u.isConstructor() ? "constructor" : "method " + u.getName()) + "(...)";
                report(c, where + " parameter", u.getParameterTypes(), events);
                report(c, where + " return type", List.of(u.getReturnType()), events);
                report(c, where + " throws", u.getThrowsClause().getTypes(), events);
                report(c, where + " type parameter", bounds(u.getTypeParameters()), events);
            }
        }
    };

    private static List<JavaType> bounds(List<? extends JavaTypeVariable<?>> variables) {
        return variables.stream().flatMap(v -> v.getUpperBounds().stream()).map(JavaType.class::cast).toList();
    }

    private static void report(JavaClass owner, String where, Collection<? extends JavaType> types,
            ConditionEvents events) {
        types.stream().flatMap(t -> t.getAllInvolvedRawTypes().stream()).filter(ApiBoundary::isInternal).distinct()
                .forEach(internal -> events.add(SimpleConditionEvent.violated(owner, owner.getName() + ": " + where
                        + " shows internal type " + internal.getName())));
    }

    /**
     * Checks the module descriptor of the module that holds {@code anchor}: it exports, to everyone, exactly the
     * packages of {@code classes} that are not internal, and exports internal packages only to named modules.
     *
     * @param anchor a main class of the module
     * @param classes the module's main classes
     * @throws AssertionError naming the packages that differ, or saying that the tests do not run on the module path
     */
    public static void assertExportsExactlyTheApiPackages(Class<?> anchor, JavaClasses classes) {
        ModuleDescriptor descriptor = anchor.getModule().getDescriptor();
        if (descriptor == null) {
            throw new AssertionError(anchor.getName() + " is in no named module: the tests do not run on the module path");
        }
        Set<String> api = new TreeSet<>();
        for (JavaClass c : classes) {
            if (c.getPackageName().startsWith("io.reactiveice") && !isInternal(c)
                    && descriptor.packages().contains(c.getPackageName())) {
                api.add(c.getPackageName());
            }
        }
        Set<String> exported = descriptor.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        if (!exported.equals(api)) {
            throw new AssertionError(descriptor.name() + " exports " + exported + " but its API packages are " + api);
        }
        for (ModuleDescriptor.Exports e : descriptor.exports()) {
            if (e.isQualified() && !(e.source().equals(INTERNAL) || e.source().startsWith(INTERNAL + "."))) {
                throw new AssertionError(descriptor.name() + " exports API package " + e.source() + " only to " + e.targets());
            }
        }
    }
}
