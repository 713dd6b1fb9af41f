package dev.quiver.reliability;

import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.Reader;
import java.nio.ByteBuffer;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.quiver.testsupport.QuiverClasses;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Scenario 8, no Java deserialization of outside bytes: {@link ObjectInputStream} appears in Quiver's main code only
 * in CloneGenerator's in-memory copier ({@code dev.quiver.objects.SerializationCopier}), only CloneGenerator uses that
 * copier, and the copier takes objects, never bytes or streams, so it only ever reads back what it has just written
 * itself. Nor does any class reach for Spring's or Spring Data Redis's Java-serialization readers.
 */
@Tag("reliability")
class JavaDeserializationArchitectureTest {

    private static final String COPIER = "dev.quiver.objects.SerializationCopier";

    private static final String CLONE_GENERATOR = "dev.quiver.objects.CloneGenerator";

    private final JavaClasses quiver = QuiverClasses.production();

    @Test
    void onlyTheInMemoryCopierUsesObjectInputStream() {
        noClasses().that()
            .resideInAPackage("dev.quiver..")
            .and(DescribedPredicate.not(copier()))
            .should()
            .dependOnClassesThat()
            .areAssignableTo(ObjectInputStream.class)
            .because("Redis data and other outside bytes must never be read with Java deserialization")
            .check(quiver);
    }

    @Test
    void onlyCloneGeneratorUsesTheCopier() {
        noClasses().that()
            .resideInAPackage("dev.quiver..")
            .and(DescribedPredicate.not(copier()))
            .and()
            .doNotHaveFullyQualifiedName(CLONE_GENERATOR)
            .should()
            .dependOnClassesThat(copier())
            .because("the copier is safe only because it reads back what it wrote from an object in memory")
            .check(quiver);
    }

    @Test
    void theCopierTakesObjectsNeverBytesOrStreams() {
        codeUnits().that()
            .areDeclaredInClassesThat()
            .haveFullyQualifiedName(COPIER)
            .should(takeNoBytesOrStreams())
            .because("bytes handed in from outside would reach its ObjectInputStream")
            .check(quiver);
    }

    @Test
    void noClassUsesSpringsJavaSerializationReaders() {
        noClasses().that()
            .resideInAPackage("dev.quiver..")
            .should()
            .dependOnClassesThat()
            .haveFullyQualifiedName("org.springframework.data.redis.serializer.JdkSerializationRedisSerializer")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("org.springframework.core.serializer.DefaultDeserializer")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("org.springframework.core.serializer.support.DeserializingConverter")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("org.springframework.util.SerializationUtils")
            .because("dict values are JSON, and nothing from Redis is read with Java deserialization")
            .check(quiver);
    }

    /** The copier and its nested classes. */
    private static DescribedPredicate<JavaClass> copier() {
        return DescribedPredicate.describe("SerializationCopier or its nested classes",
                (type) -> type.getName().equals(COPIER) || type.getName().startsWith(COPIER + "$"));
    }

    private static ArchCondition<JavaCodeUnit> takeNoBytesOrStreams() {
        return new ArchCondition<>("take no byte[], ByteBuffer, InputStream or Reader") {
            @Override
            public void check(JavaCodeUnit unit, ConditionEvents events) {
                for (JavaClass parameter : unit.getRawParameterTypes()) {
                    boolean bytes = parameter.isEquivalentTo(byte[].class) || parameter.isAssignableTo(ByteBuffer.class)
                            || parameter.isAssignableTo(InputStream.class) || parameter.isAssignableTo(Reader.class);
                    if (bytes) {
                        events.add(SimpleConditionEvent.violated(unit,
                                unit.getFullName() + " takes a " + parameter.getName()));
                    }
                }
            }
        };
    }
}
