package dev.sluice.dashboard;

import dev.sluice.Sluice;
import dev.sluice.dashboard.internal.Console;
import dev.sluice.dashboard.internal.ConsoleRequest;
import dev.sluice.dashboard.internal.ConsoleResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.security.Principal;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Sluice web console as a servlet, for applications that already run a Jakarta Servlet 6 container. Register
 * an instance under a path ending in {@code /*}, for example:
 *
 * <pre>{@code
 * ServletRegistration.Dynamic reg = servletContext.addServlet("sluice",
 *         new DashboardServlet(sluice, DashboardConfig.builder()
 *                 .authenticator(DashboardAuthenticator.serverPrincipal())   // the container's login
 *                 .build()));
 * reg.addMapping("/sluice/*");
 * }</pre>
 *
 * <p>The bind address and port of {@link DashboardConfig} do not apply: the container listens. Without an
 * authenticator the servlet answers only requests that arrived on a loopback address. The chart sampler starts
 * with {@link #init()} and stops with {@link #destroy()}; the engine is never closed.
 */
public class DashboardServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Console console;

    public DashboardServlet(Sluice sluice, DashboardConfig config) {
        this.console = Console.over(sluice, config);
    }

    @Override
    public void init() {
        console.start();
    }

    @Override
    public void destroy() {
        console.close();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        if (path == null || path.isEmpty()) {
            // The UI's links are relative: it must be loaded from the mapping's root with a trailing slash.
            resp.sendRedirect(req.getRequestURI() + "/");
            return;
        }
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(ConsoleRequest.MAX_BODY_BYTES + 1);
        }
        Principal principal = req.getUserPrincipal();
        ConsoleRequest request = new ConsoleRequest(req.getMethod(), path, req.getQueryString(), headers(req), body,
                InetAddress.getByName(req.getRemoteAddr()), InetAddress.getByName(req.getLocalAddr()),
                principal == null ? null : principal.getName());
        ConsoleResponse response = console.handle(request, req.isSecure());
        resp.setStatus(response.status());
        response.headers().forEach(resp::setHeader);
        if (!req.getMethod().equals("HEAD")) {
            resp.setContentLength(response.body().length);
            resp.getOutputStream().write(response.body());
        }
    }

    private static Map<String, List<String>> headers(HttpServletRequest req) {
        Map<String, List<String>> headers = new HashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            headers.put(name, Collections.list(req.getHeaders(name)));
        }
        return headers;
    }
}
