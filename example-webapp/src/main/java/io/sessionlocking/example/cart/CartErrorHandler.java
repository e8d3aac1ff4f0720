package io.sessionlocking.example.cart;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.core.JacksonException;

/**
 * Turns bad cart requests into {@code 400 {"message": "..."}} naming the problem. A lock failure is deliberately not
 * handled here: it propagates to session-locking's filter, which answers 503 with {@code Retry-After}.
 */
@RestControllerAdvice(assignableTypes = CartController.class)
class CartErrorHandler {

    static final String EXPECTED = "expected a JSON body like {\"sku\":\"tea\",\"qty\":1}";

    @ExceptionHandler(InvalidCartRequestException.class)
    ResponseEntity<Map<String, String>> invalid(InvalidCartRequestException e) {
        return message(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
        return message(HttpStatus.BAD_REQUEST, describe(e));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, String>> mediaType(HttpMediaTypeNotSupportedException e) {
        return message(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json; " + EXPECTED);
    }

    private static String describe(HttpMessageNotReadableException e) {
        String message = e.getMessage();
        if (message != null && message.startsWith("Required request body is missing")) {
            return "request body is missing; " + EXPECTED;
        }
        JacksonException json = jacksonCause(e);
        if (json != null && !json.getPath().isEmpty()) {
            String field = json.getPath().get(json.getPath().size() - 1).getPropertyName();
            if (field != null) {
                return "field '" + field + "' has the wrong type (sku is a string, qty an integer); " + EXPECTED;
            }
        }
        return "request body is not valid JSON; " + EXPECTED;
    }

    private static @Nullable JacksonException jacksonCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof JacksonException json) {
                return json;
            }
        }
        return null;
    }

    private static ResponseEntity<Map<String, String>> message(HttpStatus status, @Nullable String message) {
        return ResponseEntity.status(status)
                .body(Map.of("message", message == null ? status.getReasonPhrase() : message));
    }
}
