package dev.warden.monitor.events;

/**
 * The OCSF (Open Cybersecurity Schema Framework, v1.1) event classes Warden's records map to.
 * {@code type_uid} of an event is {@code class_uid * 100 + activity_id}.
 */
public enum OcsfClass {
  FILE_SYSTEM_ACTIVITY(1001, "File System Activity", 1, "System Activity"),
  SCHEDULED_JOB_ACTIVITY(1006, "Scheduled Job Activity", 1, "System Activity"),
  PROCESS_ACTIVITY(1007, "Process Activity", 1, "System Activity"),
  /** Audit-chain checkpoints and heads (log integrity evidence). */
  EVENT_LOG_ACTIVITY(1008, "Event Log Activity", 1, "System Activity"),
  DETECTION_FINDING(2004, "Detection Finding", 2, "Findings"),
  AUTHENTICATION(3002, "Authentication", 3, "Identity & Access Management"),
  AUTHORIZE_SESSION(3003, "Authorize Session", 3, "Identity & Access Management"),
  NETWORK_ACTIVITY(4001, "Network Activity", 4, "Network Activity"),
  HTTP_ACTIVITY(4002, "HTTP Activity", 4, "Network Activity"),
  DEVICE_INVENTORY_INFO(5001, "Device Inventory Info", 5, "Discovery"),
  APPLICATION_LIFECYCLE(6002, "Application Lifecycle", 6, "Application Activity"),
  API_ACTIVITY(6003, "API Activity", 6, "Application Activity");

  public final int uid;
  public final String className;
  public final int categoryUid;
  public final String categoryName;

  OcsfClass(int uid, String className, int categoryUid, String categoryName) {
    this.uid = uid;
    this.className = className;
    this.categoryUid = categoryUid;
    this.categoryName = categoryName;
  }

  public static OcsfClass ofUid(int uid) {
    for (OcsfClass c : values()) {
      if (c.uid == uid) {
        return c;
      }
    }
    throw new IllegalArgumentException("no OCSF class " + uid + " in Warden's mapping");
  }
}
