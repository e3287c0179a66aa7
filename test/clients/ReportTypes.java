// ReportTypes — runs the report queries through pgJDBC, the way a BI tool
// would, and checks that every column arrives as a standard JDBC type:
// NUMERIC, VARCHAR (text), DATE, INTEGER, BIGINT, SMALLINT, or jsonb (which
// pgJDBC reports as OTHER with the type name "jsonb") — never an extension
// type.  Writes each query's rows, read through the typed getters, as one
// canonical text line per row (fields separated by U+001F, NULL as <NULL>)
// to OUTDIR/<file>.jdbc for comparison with psql's output.  Then reads the
// catalogue as BI tools do (DatabaseMetaData.getTables/getColumns of the
// schema report) and fails unless every report view and every column has a
// comment in Chinese and English.
//
//   java -cp postgresql.jar ReportTypes.java JDBC_URL OUTDIR query.sql...
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.JDBCType;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public class ReportTypes {
    // JDBC type -> the PostgreSQL type names allowed to arrive as it
    static final Map<Integer, List<String>> ALLOWED = Map.of(
        Types.NUMERIC, List.of("numeric"),
        Types.VARCHAR, List.of("text", "varchar"),
        Types.DATE, List.of("date"),
        Types.INTEGER, List.of("int4"),
        Types.BIGINT, List.of("int8"),
        Types.SMALLINT, List.of("int2"),
        Types.OTHER, List.of("jsonb"));

    // a comment in both languages: at least one CJK character and one Latin letter
    static boolean bilingual(String remark) {
        return remark != null && remark.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN)
                && remark.chars().anyMatch(ch -> (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'));
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Path out = Path.of(args[1]);
        int bad = 0, columns = 0, rows = 0;
        try (Connection conn = DriverManager.getConnection(url)) {
            for (int f = 2; f < args.length; f++) {
                Path file = Path.of(args[f]);
                String sql = Files.readString(file, StandardCharsets.UTF_8);
                List<String> lines = new ArrayList<>();
                try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                    ResultSetMetaData md = rs.getMetaData();
                    int n = md.getColumnCount();
                    int[] types = new int[n + 1];
                    for (int k = 1; k <= n; k++) {
                        types[k] = md.getColumnType(k);
                        String name = md.getColumnTypeName(k);
                        List<String> ok = ALLOWED.get(types[k]);
                        boolean good = ok != null && ok.contains(name);
                        System.out.printf("%s %-22s %-8s %-8s %s%n", file.getFileName(), md.getColumnLabel(k),
                                JDBCType.valueOf(types[k]).getName(), name, good ? "ok" : "NOT A STANDARD TYPE");
                        if (!good) bad++;
                        columns++;
                    }
                    while (rs.next()) {
                        StringBuilder sb = new StringBuilder();
                        for (int k = 1; k <= n; k++) {
                            if (k > 1) sb.append('\u001f');
                            String v;
                            switch (types[k]) {
                                case Types.NUMERIC: {
                                    BigDecimal d = rs.getBigDecimal(k);
                                    v = d == null ? null : d.toPlainString();
                                    break;
                                }
                                case Types.INTEGER:
                                case Types.SMALLINT: {
                                    int i = rs.getInt(k);
                                    v = rs.wasNull() ? null : Integer.toString(i);
                                    break;
                                }
                                case Types.BIGINT: {
                                    long l = rs.getLong(k);
                                    v = rs.wasNull() ? null : Long.toString(l);
                                    break;
                                }
                                case Types.DATE: {
                                    LocalDate d = rs.getObject(k, LocalDate.class);
                                    v = d == null ? null : d.toString();
                                    break;
                                }
                                default:
                                    v = rs.getString(k);
                            }
                            sb.append(v == null ? "<NULL>" : v);
                        }
                        lines.add(sb.toString());
                        rows++;
                    }
                }
                Files.write(out.resolve(file.getFileName() + ".jdbc"), lines, StandardCharsets.UTF_8);
            }
            // the report views as a BI tool browses them: every view and every
            // column carries a comment (REMARKS) with Chinese and English
            java.sql.DatabaseMetaData meta = conn.getMetaData();
            int views = 0, labelled = 0, cols = 0;
            try (ResultSet t = meta.getTables(null, "report", "%", new String[] {"VIEW"})) {
                while (t.next()) {
                    views++;
                    if (bilingual(t.getString("REMARKS"))) labelled++;
                    else { System.out.printf("view report.%s has no Chinese and English comment%n", t.getString("TABLE_NAME")); bad++; }
                }
            }
            try (ResultSet c = meta.getColumns(null, "report", "%", "%")) {
                while (c.next()) {
                    cols++;
                    if (!bilingual(c.getString("REMARKS"))) {
                        System.out.printf("column report.%s.%s has no Chinese and English comment%n",
                                c.getString("TABLE_NAME"), c.getString("COLUMN_NAME"));
                        bad++;
                    }
                }
            }
            System.out.printf("%d report views (%d with a comment), %d columns, each with a Chinese and English comment unless said above%n",
                    views, labelled, cols);
            if (views == 0) bad++;
        }
        System.out.printf("%d queries, %d columns, %d rows, %d problems (non-standard types, missing comments)%n",
                args.length - 2, columns, rows, bad);
        System.exit(bad == 0 ? 0 : 1);
    }
}
