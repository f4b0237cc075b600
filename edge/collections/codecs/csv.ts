/** RFC 4180 CSV parsing lives in platform/ (content imports use it too). */
export * from "../../platform/csv";
